import { cors as connectCors } from "@connectrpc/connect";
import { REQUEST_ID_HEADER } from "./request-id.js";
import type { NodeRequestHandler } from "./server.js";

/**
 * Headers a browser page may send: what Connect and gRPC-Web need (connect-es's own list), the
 * pool's credentials (HMAC or a JWT) and the trace context.
 */
const ALLOWED_HEADERS = [
  ...connectCors.allowedHeaders,
  "Authorization",
  "X-Api-Key",
  "X-Timestamp",
  "X-Nonce",
  "X-Signature",
  "Traceparent",
  "Tracestate",
].join(", ");

/** Response headers a page may read: gRPC-Web's status, Retry-After on a 429, the request id. */
const EXPOSED_HEADERS = [...connectCors.exposedHeaders, "Retry-After", REQUEST_ID_HEADER].join(", ");

/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 7200;

/**
 * CORS for browser clients (R-SDK-1: `@vvtv/llmpool-client` over connect-web), in front of every
 * route and RPC. A request whose `Origin` is in `allowedOrigins()` gets that origin back in
 * `Access-Control-Allow-Origin`, and its preflight is answered here, before auth (a browser sends
 * no credentials on a preflight). Any other origin gets no CORS header at all, so the browser
 * withholds the response from the page; its preflight is refused with 403 and never reaches the
 * handler. Cookies play no part (credentials are headers the page sets), so
 * `Access-Control-Allow-Credentials` is never sent. With the list empty (the default) the
 * handler runs untouched. The list is read per request, so a config reload applies at once.
 */
export function withCors(handler: NodeRequestHandler, allowedOrigins: () => readonly string[]): NodeRequestHandler {
  return function corsHandler(req, res) {
    const allowed = allowedOrigins();
    const origin = req.headers.origin;
    if (allowed.length === 0 || typeof origin !== "string") return handler(req, res);
    // The answer depends on Origin, so a cache in between must not hand one origin's answer to another.
    res.setHeader("vary", "Origin");
    const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
    if (!allowed.includes(origin)) {
      if (!preflight) return handler(req, res);
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      res.end("origin not allowed\n");
      return;
    }
    res.setHeader("access-control-allow-origin", origin);
    if (preflight) {
      res.writeHead(204, {
        "access-control-allow-methods": connectCors.allowedMethods.join(", "),
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": String(PREFLIGHT_MAX_AGE_S),
      });
      res.end();
      return;
    }
    res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    handler(req, res);
  };
}
