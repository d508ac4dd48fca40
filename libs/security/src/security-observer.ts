import type { AuthReason } from "./auth-failure.js";

export type AuthScheme = "hmac" | "jwt" | "api_key" | "none";
export type StoreName = "nonce" | "rate_limit" | "quota";

/**
 * What the security layer reports, for metrics and logs. This package stays
 * free of any metrics library; the composition root maps these calls to
 * prom-client (libs/telemetry) and pino. Every method is optional.
 */
export interface SecurityObserver {
  /** A request passed authentication. */
  authenticated?(scheme: AuthScheme, tenantId: string, principal: string): void;
  /** A request was refused; `reason` never reaches the client. */
  refused?(scheme: AuthScheme, reason: AuthReason): void;
  /** An HMAC key or a bearer API key verified a request at `atMs` (the last-used metric per key id). */
  keyUsed?(keyId: string, tenantId: string, atMs: number): void;
  /**
   * A Redis-backed store failed; `error` is the client's error (timeout,
   * connection refused). Once per outage (the stores on one client share one
   * gate), not once per request that meets it: `storeDegraded` counts those.
   */
  storeFailed?(store: StoreName, error: unknown): void;
  /** A request met a store that is down: refused (503) or served by the local fallback. */
  storeDegraded?(store: StoreName, outcome: "refused" | "local_fallback"): void;
  /** A request was over its {tenant, project} rate limit. */
  rateLimited?(tenantId: string, projectId: string): void;
  /** A tenant's daily token quota is spent. */
  quotaExhausted?(tenantId: string): void;
  /** A remote JWKS was fetched (ok) or could not be (failed; the last good set stays). */
  jwksFetched?(url: string, result: "ok" | "failed"): void;
}
