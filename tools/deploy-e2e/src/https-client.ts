import https from "node:https";

export interface TlsClientOptions {
  /** CA the server's certificate must chain to. */
  readonly ca: Buffer;
  /** A client certificate and key, for mTLS. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** A keep-alive agent to reuse connections (its own TLS options then apply); default: a fresh connection. */
  readonly agent?: https.Agent;
}

export interface HttpsResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP/1.1 request over TLS, on a fresh connection unless an agent is given; headers as given. */
export function httpsRequest(
  url: string,
  tls: TlsClientOptions,
  request: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers = { ...request.headers, ...(body && { "content-length": String(body.byteLength) }) };
    const req = https.request(
      url,
      {
        method: request.method ?? (body ? "POST" : "GET"),
        headers,
        agent: tls.agent ?? false,
        ca: tls.ca,
        ...(tls.cert && { cert: tls.cert }),
        ...(tls.key && { key: tls.key }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
