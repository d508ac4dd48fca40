import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import type { NodeEnv } from "./infer-route.js";

/**
 * Writes a JSON body straight to Node's response and tells Hono it is sent. `c.json` would build a WHATWG
 * Response (the pool leaves Node's globals alone, so it is undici's) and a web stream that node-server then
 * reads back: under load that cost more than the rest of the REST edge.
 */
export function replyJson(c: Context<NodeEnv>, status: number, json: string, headers: Readonly<Record<string, string>>): Response {
  c.env.outgoing.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...headers });
  c.env.outgoing.end(json);
  return RESPONSE_ALREADY_SENT;
}
