import { invalidArgument } from "@llm-pool/core";
import { readNodeBodyAtMost, type NodeBodyStream } from "../body-limit.js";

/**
 * Reads a request body as UTF-8 text, stopping as soon as it passes
 * `maxBytes`; a declared Content-Length above it is refused unread.
 */
export async function readBodyText(incoming: NodeBodyStream, maxBytes: number): Promise<string> {
  return decodeBodyText(await readBodyBytes(incoming, maxBytes));
}

/**
 * The body's bytes from Node's request stream (`c.env.incoming`), stopping as soon as it passes `maxBytes`; a
 * declared Content-Length above it is refused unread.
 */
export function readBodyBytes(incoming: NodeBodyStream, maxBytes: number): Promise<Uint8Array> {
  return readNodeBodyAtMost(incoming, maxBytes);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A body read earlier (by the auth step), as UTF-8 text. */
export function decodeBodyText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidArgument("body", "not valid UTF-8");
  }
}

/** The body the auth step read and authenticated, as UTF-8 text; read now when no auth step ran. */
export async function requestBodyText(rawBody: Uint8Array | undefined, incoming: NodeBodyStream, maxBytes: number): Promise<string> {
  return rawBody ? decodeBodyText(rawBody) : readBodyText(incoming, maxBytes);
}
