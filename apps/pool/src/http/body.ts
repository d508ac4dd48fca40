import { invalidArgument } from "@llm-pool/core";
import { readAtMost } from "../body-limit.js";

/**
 * Reads a request body as UTF-8 text, stopping as soon as it passes
 * `maxBytes`; a declared Content-Length above it is refused unread.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return decodeBodyText(await readBodyBytes(request, maxBytes));
}

/** The body's bytes, stopping as soon as it passes `maxBytes`; a declared Content-Length above it is refused unread. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readAtMost(request.body ?? [], maxBytes, request.headers.get("content-length"));
}

/** A body read earlier (by the auth step), as UTF-8 text. */
export function decodeBodyText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidArgument("body", "not valid UTF-8");
  }
}

/** The body the auth step read and authenticated, as UTF-8 text; read now when no auth step ran. */
export async function requestBodyText(rawBody: Uint8Array | undefined, request: Request, maxBytes: number): Promise<string> {
  return rawBody ? decodeBodyText(rawBody) : readBodyText(request, maxBytes);
}
