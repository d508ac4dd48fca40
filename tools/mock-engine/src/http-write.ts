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

/**
 * A complete 200 whose JSON parses but whose answer text carries a byte that is never UTF-8 (0xFF),
 * as when an engine cuts a model's multi-byte character in half.
 */
export function sendInvalidUtf8(res: ServerResponse, body: unknown, text: string): void {
  const bytes = withInvalidByte(JSON.stringify(body), text);
  res.writeHead(200, { "Content-Type": JSON_TYPE, "Content-Length": bytes.length });
  res.end(bytes);
}

/** `json` as UTF-8 with 0xFF inserted at the start of the string holding `text` (or of the first string). */
export function withInvalidByte(json: string, text: string): Buffer {
  const found = json.indexOf(JSON.stringify(text));
  const at = Buffer.byteLength(json.slice(0, (found >= 0 ? found : json.indexOf('"')) + 1));
  const bytes = Buffer.from(json);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
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
