import type { Scope } from "@llm-pool/config";
import type { Query } from "@llm-pool/contract";
import type { Identity } from "@llm-pool/core";
import type { HeaderList } from "@llm-pool/security";

/** A request as the edges received it, before anything parsed its body. */
export interface EdgeRequest {
  readonly method: string;
  /** The request target's path as sent (no decoding). */
  readonly path: string;
  /** The raw query without "?"; "" when none. */
  readonly query: string;
  readonly headers: HeaderList;
  /** The exact body bytes, read within the body limit. */
  readonly body: Uint8Array;
}

/**
 * The auth step of every edge (REST, gRPC, gRPC-Web, Connect), run on the
 * raw request before any body is parsed. Every path needs a credential
 * holding the path's scope, except the public list; the Query the request
 * then carries is admitted against the caller's limits. Throws PoolError only.
 */
export interface EdgeAuth {
  /**
   * What `path` needs: "public", or the scope its caller must hold. `path`
   * is the one the router routes on (for REST, after the router resolved
   * dot segments and percent-encoded letters), never a raw one that a
   * router could read differently.
   */
  accessFor(path: string): Access;
  /** The caller's identity, who must hold `scope`; undefined only when auth is configured off. */
  authenticate(request: EdgeRequest, scope: Scope): Promise<Identity | undefined>;
  /**
   * Applies the caller's limits to one Query (rate limit, daily tokens,
   * kill switch). Resolves with the RateLimit fields for the response;
   * throws a PoolError whose `headers` (when present) go on the refusal.
   */
  admit(identity: Identity | undefined, query: Query | undefined): Promise<Readonly<Record<string, string>>>;
}

export type Access = "public" | Scope;

/**
 * The paths that answer without credentials, matched exactly: liveness,
 * readiness and the two methods of the standard gRPC health service.
 */
export const PUBLIC_PATHS: readonly string[] = ["/healthz", "/readyz", "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch"];
/** Public only when `[server] metrics_public = true`; otherwise it needs the "metrics" scope. */
export const METRICS_PATH = "/metrics";
/** The status page is read from the metrics, so it has the same rule. */
export const STATUS_PATH = "/status";

/** Every path outside the public list needs "infer", except /metrics and /status, which need "metrics". */
export function accessFor(path: string, metricsPublic: boolean): Access {
  if (PUBLIC_PATHS.includes(path)) return "public";
  if (path === METRICS_PATH || path === STATUS_PATH) return metricsPublic ? "public" : "metrics";
  return "infer";
}

/**
 * No auth at all: for servers built without a security layer (tests of
 * other concerns). The composition root always passes a real EdgeAuth.
 */
export const openAuth: EdgeAuth = {
  accessFor: () => "public",
  authenticate: async () => undefined,
  admit: async () => ({}),
};
