import type { ApiName, CallContext, Identity } from "@llm-pool/core";
import type { Context } from "hono";
import { traceHeaders } from "../trace-headers.js";
import type { NodeEnv } from "./infer-route.js";

/** The part of Node's request a call context is read from. */
interface NodeHeaders {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * What the service learns from an HTTP route (POST /v1/infer and both doors)
 * beside the Query: the identity the auth step proved, the W3C trace context
 * the client sent, and the way in, for the call's metrics, log line and span
 * (R-OBS-1..3). The route adds the signal that suits it.
 */
export function httpCallContext(c: Context<NodeEnv>, api: ApiName): Omit<CallContext, "signal"> {
  return nodeCallContext(c.env.incoming, c.get("identity"), api);
}

/** `httpCallContext` from Node's request itself, for a route served without Hono. */
export function nodeCallContext(incoming: NodeHeaders, identity: Identity | undefined, api: ApiName): Omit<CallContext, "signal"> {
  return { ...(identity && { identity }), ...traceHeaders((name) => headerOf(incoming, name)), entry: { api, transport: "http" } };
}

/** A request header from Node's own parsed headers (`c.req.header` would build a WHATWG Headers first). */
export function nodeHeader(c: Context<NodeEnv>, name: string): string | undefined {
  return headerOf(c.env.incoming, name);
}

export function headerOf(incoming: NodeHeaders, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
