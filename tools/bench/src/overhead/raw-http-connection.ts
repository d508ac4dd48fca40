import { connect, type Socket } from "node:net";
import type { LoadConnection } from "./load-run.js";
import { ResponseFramer } from "./response-framer.js";

/** What the load generator sends, over and over: one request, encoded once. */
export interface LoadRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The request's bytes: HTTP/1.1, keep-alive, Content-Length framing. */
export function encodeRequest(host: string, port: number, request: LoadRequest): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers = { host: `${host}:${port}`, ...(request.body === undefined ? {} : { "content-type": "application/json" }), ...request.headers };
  const lines = [`${request.method} ${request.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${body.length}`];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]);
}

/**
 * A keep-alive HTTP/1.1 connection that writes pre-encoded bytes and frames the answer (wrk's approach): a
 * few microseconds per request on the generator's side, so the generator is never the bottleneck it measures.
 * A connection that fails or is closed by the server is reopened on the next send.
 */
export class RawHttpConnection implements LoadConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #bytes: Buffer;
  readonly #framer = new ResponseFramer();
  #socket: Socket | undefined;
  #done: ((status: number) => void) | undefined;

  constructor(host: string, port: number, request: LoadRequest) {
    this.#host = host;
    this.#port = port;
    this.#bytes = encodeRequest(host, port, request);
  }

  send(done: (status: number) => void): void {
    this.#done = done;
    this.#framer.reset();
    (this.#socket ?? this.#open()).write(this.#bytes);
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      let response;
      try {
        response = this.#framer.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      if (!response) return;
      if (response.close) this.#drop(socket);
      this.#settle(response.status);
    });
    const failed = () => {
      this.#drop(socket);
      this.#settle(0);
    };
    socket.on("error", failed);
    socket.on("close", failed);
    return socket;
  }

  #drop(socket: Socket): void {
    if (this.#socket === socket) this.#socket = undefined;
    socket.removeAllListeners("close");
    socket.on("error", () => {});
    socket.end();
  }

  #settle(status: number): void {
    const done = this.#done;
    this.#done = undefined;
    done?.(status);
  }
}

/** `count` connections to the same target, opened lazily on their first request. */
export function rawConnections(url: string, request: LoadRequest, count: number): RawHttpConnection[] {
  const { hostname, port } = new URL(url);
  return Array.from({ length: count }, () => new RawHttpConnection(hostname, Number(port), request));
}
