import { Code, PoolError, type Identity } from "@llm-pool/core";
import type { MiddlewareHandler } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { edgeRequestOf } from "../auth/edge-request.js";
import type { EdgeLogger } from "../logger.js";
import { readBodyBytes } from "./body.js";
import { errorResponse } from "./errors.js";
import type { NodeEnv } from "./infer-route.js";

/** What the auth step leaves for the routes behind it. */
export interface AuthVariables {
  /** The caller; undefined when auth is configured off. */
  identity: Identity | undefined;
  /** The body as read (within the limit) and authenticated; routes parse these bytes, never the stream again. */
  rawBody: Uint8Array;
}

/**
 * The REST auth step: every path outside the public list (unknown paths
 * included, so a new route cannot ship unprotected) has its body read
 * within the limit (413) and its raw bytes authenticated (401/403) before
 * any route parses anything. The access a path needs is looked up on the
 * path Hono routes (`c.req.path`: dot segments and percent-encoded letters
 * resolved), so "/healthz/../v1/infer" needs what "/v1/infer" needs; the
 * signature covers the path as sent. `respond` writes the refusal in the
 * shape of the route's family (OpenAI and Ollama clients read their own).
 */
/** How a route family writes an error: the pool's REST body, or a compatible door's own shape. */
export type ErrorResponder = (error: unknown, path: string, options: { headers?: Record<string, string> }) => Response;

export function authenticate(
  auth: EdgeAuth,
  maxBodyBytes: number,
  logger: EdgeLogger,
  respond: ErrorResponder = (error, _path, options) => errorResponse(error, logger, options),
): MiddlewareHandler<NodeEnv> {
  return async function authenticate(c, next) {
    const incoming = c.env.incoming;
    const access = auth.accessFor(c.req.path);
    if (access === "public") return next();
    try {
      const body = await readBodyBytes(incoming, maxBodyBytes);
      c.set("identity", await auth.authenticate(edgeRequestOf(incoming, body), access));
      c.set("rawBody", body);
    } catch (error) {
      const tooLarge = error instanceof PoolError && error.code === Code.PayloadTooLarge;
      // The rest of an oversize body stays unread: an HTTP/1.1 connection cannot be reused.
      const close = tooLarge && incoming.httpVersionMajor === 1;
      return respond(error, c.req.path, close ? { headers: { connection: "close" } } : {});
    }
    return next();
  };
}
