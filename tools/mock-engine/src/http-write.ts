import type { IncomingMessage, ServerResponse } from "node:http";

export const JSON_TYPE = "application/json; charset=utf-8";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** A complete HTTP response whose body is not valid JSON: the first part of `body`, with a correct Content-Length. */
export function sendMalformedJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  const broken = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(broken) });
  res.end(broken);
}

/** Promises the whole body in Content-Length, sends half of it, then closes the connection. */
export function sendTruncatedJson(res: ServerResponse, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

/** Cuts a streaming response short: the chunked body never gets its final chunk. */
export function abortStream(res: ServerResponse): void {
  res.write("", () => res.destroy());
}

/** Sends a TCP RST instead of an answer. */
export function resetConnection(req: IncomingMessage): void {
  req.socket.resetAndDestroy();
}
