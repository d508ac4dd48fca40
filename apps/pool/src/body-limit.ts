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

/** The part of Node's request streams (HTTP/1.1 and HTTP/2) the REST body reader uses. */
export interface NodeBodyStream {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  readonly readableEnded: boolean;
}

/**
 * `readAtMost` on Node's request stream itself, without a WHATWG Request or web stream in between (they cost
 * more than the rest of the REST edge under load). Past the limit the stream is paused, not destroyed, so the
 * 413 can still be written (with `connection: close`: the rest stays unread).
 */
export function readNodeBodyAtMost(stream: NodeBodyStream, maxBytes: number): Promise<Buffer> {
  const declared = stream.headers["content-length"];
  if (Number(declared) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  if (stream.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        stop();
        stream.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    // An error or a close before the end: the client left halfway through its body (Node says "aborted").
    const gone = (cause?: Error) => {
      stop();
      reject(new PoolError(Code.Canceled, "the client left before sending its whole body", cause === undefined ? {} : { cause }));
    };
    const onError = (error: Error) => gone(error);
    const onClose = () => gone();
    const stop = () => {
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      stream.removeListener("close", onClose);
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

export function payloadTooLarge(maxBytes: number): PoolError {
  return new PoolError(Code.PayloadTooLarge, `body: larger than the limit of ${maxBytes} bytes`, { field: "body" });
}
