import { Agent } from "undici";

/** One request to an engine, as the drivers send it. */
export interface EngineHttpRequest {
  readonly method: "GET" | "POST" | "PUT";
  readonly headers: Readonly<Record<string, string>>;
  /** Already serialized. */
  readonly body?: string;
  /** Aborting closes the connection, so the engine sees the client leave and stops generating. */
  readonly signal: AbortSignal;
}

/** An engine's answer: the status and headers at once, the body as it arrives. */
export interface EngineResponse {
  readonly status: number;
  /** A response header by lower-case name; undefined when absent. */
  header(name: string): string | undefined;
  /** The body's bytes, chunk by chunk. Leaving the loop early does not release it: call `cancel`. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Drops the rest of the body and the connection with it (a body too large, a stream the caller left). */
  cancel(): void;
}

/** How the drivers reach engines: an HTTP/1.1 exchange; `url` is absolute. */
export type EngineHttp = (url: string, request: EngineHttpRequest) => Promise<EngineResponse>;

export interface EngineHttpClient {
  readonly send: EngineHttp;
  /** Closes every pooled connection (shutdown). */
  close(): Promise<void>;
}

/**
 * The engines' HTTP client: undici's Agent (a keep-alive connection pool per engine origin) and its `request`,
 * which hands back status, headers and a Node stream of the body. Keep-alive timing is undici's default, as
 * `fetch` had it (4 s idle, or the engine's own Keep-Alive hint). Unlike `fetch` it builds no WHATWG
 * Request/Response objects, web streams or signal chains per call: in a CPU profile of the pool under load,
 * `fetch` and its plumbing took the largest share (docs/BENCHMARKS.md).
 */
export function createEngineHttp(): EngineHttpClient {
  const agent = new Agent();
  return {
    async send(url, request) {
      const { origin, path } = splitUrl(url);
      const response = await agent.request({
        origin,
        path,
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: request.signal,
      });
      const { headers, body } = response;
      return {
        status: response.statusCode,
        header(name) {
          const value = headers[name];
          return Array.isArray(value) ? value.join(", ") : value;
        },
        body,
        cancel: () => void body.destroy(),
      };
    },
    close: () => agent.close(),
  };
}

/** "http://host:port/a/b?c" -> origin "http://host:port", path "/a/b?c" (the drivers join base URLs and paths). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash < 0 ? { origin: url, path: "/" } : { origin: url.slice(0, slash), path: url.slice(slash) };
}
