import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";

/** The part of Node's response (HTTP/1.1 or HTTP/2) a JSON reply is written to. */
export interface NodeReply {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

/**
 * Writes a JSON body straight to Node's response and returns Hono's marker for a response already sent. `c.json`
 * would build a WHATWG Response (the pool leaves Node's globals alone, so it is undici's) and a web stream that
 * node-server then reads back: under load that cost more than the rest of the REST edge.
 */
export function replyJson(outgoing: NodeReply, status: number, json: string, headers: Readonly<Record<string, string>>): Response {
  outgoing.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...headers });
  outgoing.end(json);
  return RESPONSE_ALREADY_SENT;
}
