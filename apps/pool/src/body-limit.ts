import { Code, PoolError } from "@llm-pool/core";

/**
 * Concatenates a request body, failing with payload_too_large as soon as it
 * passes `maxBytes`; leaving the loop early cancels the rest of the stream.
 * A declared Content-Length above the limit is refused unread.
 */
export async function readAtMost(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number, declaredLength?: string | null): Promise<Uint8Array> {
  if (Number(declaredLength) > maxBytes) throw payloadTooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw payloadTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export function payloadTooLarge(maxBytes: number): PoolError {
  return new PoolError(Code.PayloadTooLarge, `body: larger than the limit of ${maxBytes} bytes`, { field: "body" });
}
