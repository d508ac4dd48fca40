import { Code, PoolError, type Identity } from "@llm-pool/core";
import type { MiddlewareHandler } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { edgeRequestOf } from "../auth/edge-request.js";
import type { NodeBodyStream } from "../body-limit.js";
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

/** How a route family writes an error: the pool's REST body, or a compatible door's own shape. */
export type ErrorResponder = (error: unknown, path: string, options: { headers?: Record<string, string> }) => Response;

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
export function authenticate(
  auth: EdgeAuth,
  maxBodyBytes: number,
  logger: EdgeLogger,
  respond: ErrorResponder = (error, _path, options) => errorResponse(error, logger, options),
): MiddlewareHandler<NodeEnv> {
  return async function authenticate(c, next) {
    const incoming = c.env.incoming;
    try {
      const proven = await authenticateRequest(auth, c.req.path, incoming, maxBodyBytes);
      if (!proven) return next();
      c.set("identity", proven.identity);
      c.set("rawBody", proven.rawBody);
    } catch (error) {
      return respond(error, c.req.path, refusalOptions(error, incoming));
    }
    return next();
  };
}

/**
 * The auth step on Node's request, for the route `path`: undefined on a public path (the body stays unread),
 * else the body read within the limit and the identity its raw bytes prove. Throws a PoolError.
 */
export async function authenticateRequest(
  auth: EdgeAuth,
  path: string,
  incoming: NodeBodyStream & { method?: string | undefined; url?: string | undefined; rawHeaders: readonly string[] },
  maxBodyBytes: number,
): Promise<AuthVariables | undefined> {
  const access = auth.accessFor(path);
  if (access === "public") return undefined;
  const body = await readBodyBytes(incoming, maxBodyBytes);
  return { identity: await auth.authenticate(edgeRequestOf(incoming, body), access), rawBody: body };
}

/** A refusal's extra headers: over the body limit on HTTP/1.1 the rest stays unread, so the connection cannot be reused. */
export function refusalOptions(error: unknown, incoming: { readonly httpVersionMajor: number }): { headers?: Record<string, string> } {
  const tooLarge = error instanceof PoolError && error.code === Code.PayloadTooLarge;
  return tooLarge && incoming.httpVersionMajor === 1 ? { headers: { connection: "close" } } : {};
}
