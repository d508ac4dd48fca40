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
 * raw request before any body is parsed. Everything but the public list
 * must authenticate; the Query it then carries is admitted against the
 * caller's limits. Throws PoolError only.
 */
export interface EdgeAuth {
  /** True for the paths that answer without credentials (PUBLIC_PATHS, and /metrics where configured). */
  isPublic(path: string): boolean;
  /** The caller's identity; undefined only when auth is configured off. */
  authenticate(request: EdgeRequest): Promise<Identity | undefined>;
  /**
   * Applies the caller's limits to one Query (rate limit, daily tokens,
   * kill switch). Resolves with the RateLimit fields for the response;
   * throws a PoolError whose `headers` (when present) go on the refusal.
   */
  admit(identity: Identity | undefined, query: Query | undefined): Promise<Readonly<Record<string, string>>>;
}

/** REST paths and RPC prefixes that never need credentials: liveness, readiness, the gRPC health service. */
export const PUBLIC_PATHS: readonly string[] = ["/healthz", "/readyz"];
export const PUBLIC_RPC_PREFIXES: readonly string[] = ["/grpc.health.v1.Health/"];
/** Public only when `[server] metrics_public = true`. */
export const METRICS_PATH = "/metrics";

export function isPublicPath(path: string, metricsPublic: boolean): boolean {
  return (
    PUBLIC_PATHS.includes(path) ||
    PUBLIC_RPC_PREFIXES.some((prefix) => path.startsWith(prefix)) ||
    (metricsPublic && path === METRICS_PATH)
  );
}

/**
 * No auth at all: for servers built without a security layer (tests of
 * other concerns). The composition root always passes a real EdgeAuth.
 */
export const openAuth: EdgeAuth = {
  isPublic: () => true,
  authenticate: async () => undefined,
  admit: async () => ({}),
};
