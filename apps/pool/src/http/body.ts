import { invalidArgument } from "@llm-pool/core";
import { payloadTooLarge, readAtMost } from "../body-limit.js";

/**
 * Reads a request body as UTF-8 text, stopping as soon as it passes
 * `maxBytes`; a declared Content-Length above it is refused unread.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get("content-length")) > maxBytes) throw payloadTooLarge(maxBytes);
  if (!request.body) return "";
  const bytes = await readAtMost(request.body, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidArgument("body", "not valid UTF-8");
  }
}
