const HEADER_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

/**
 * Finds where one HTTP/1.1 response ends in the bytes of a keep-alive connection, the way wrk does: status
 * line, headers, then a Content-Length body or chunked framing. Only what the load generator needs (the
 * status, the end of the message, whether the server will close); the body itself is not decoded.
 */
export class ResponseFramer {
  #buffer: Buffer = Buffer.alloc(0);

  /** Forgets anything buffered (a new request on a fresh connection). */
  reset(): void {
    this.#buffer = Buffer.alloc(0);
  }

  /** Adds bytes; returns the response once it is complete (bytes after it are dropped: no pipelining). */
  push(chunk: Buffer): FramedResponse | undefined {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headEnd = this.#buffer.indexOf(HEADER_END);
    if (headEnd < 0) return undefined;
    const head = this.#buffer.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    const close = /\r\nconnection:\s*close/i.test(head);
    const bodyStart = headEnd + HEADER_END.length;
    let end: number | undefined;
    if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) end = chunkedEnd(this.#buffer, bodyStart);
    else {
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      // Without a length, a 1xx/204/304 has no body; anything else is read until close, which this client
      // does not support, so it counts as ended here and the connection is reopened.
      end = bodyStart + (length ? Number(length[1]) : 0);
      if (end > this.#buffer.length) end = undefined;
    }
    if (end === undefined) return undefined;
    this.#buffer = Buffer.alloc(0);
    return { status, close, bytes: end };
  }
}

export interface FramedResponse {
  readonly status: number;
  /** The server said `Connection: close`. */
  readonly close: boolean;
  /** Bytes of the whole message, head included. */
  readonly bytes: number;
}

/** The offset just past a complete chunked body starting at `start`, or undefined while bytes are missing. */
function chunkedEnd(buffer: Buffer, start: number): number | undefined {
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString("latin1", at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error("malformed chunk size");
    if (size === 0) {
      // Trailers (usually none) end with an empty line.
      const trailerEnd = buffer.indexOf(CRLF, lineEnd + CRLF.length);
      if (trailerEnd < 0) return undefined;
      if (trailerEnd === lineEnd + CRLF.length) return trailerEnd + CRLF.length;
      const afterTrailers = buffer.indexOf(HEADER_END, lineEnd);
      return afterTrailers < 0 ? undefined : afterTrailers + HEADER_END.length;
    }
    at = lineEnd + CRLF.length + size + CRLF.length;
    if (at > buffer.length) return undefined;
  }
}
