import { Counter, Gauge, type Registry } from "prom-client";

/**
 * The security layer's reports (R-SEC-*) as metrics. Which key ids exist and
 * which check refused a request go only to the operator registry: public,
 * they would tell an attacker which credentials to aim at and what to fix in
 * a forged one. Labels are bounded: reasons are a closed set; key ids,
 * tenants and projects come from the config, and only verified ones count.
 */
export interface SecurityMetrics {
  /** A request refused by the auth step (operators only). */
  authRefused(scheme: string, reason: string): void;
  /** An HMAC key id verified a request at `atMs` (operators only). */
  keyUsed(keyId: string, tenant: string, atMs: number): void;
  rateLimited(tenant: string, project: string): void;
  quotaExhausted(tenant: string): void;
  /** A request met a Redis store that is down: refused (503) or served by the local fallback. */
  storeDegraded(store: string, outcome: string): void;
  jwksFetched(result: string): void;
}

export function createSecurityMetrics(registries: { readonly public: Registry; readonly operator: Registry }): SecurityMetrics {
  const refused = new Counter({
    name: "llmpool_auth_refused_total",
    help: "Requests refused by the auth step, by scheme and reason (operators only).",
    labelNames: ["scheme", "reason"] as const,
    registers: [registries.operator],
  });
  const keyLastUsed = new Gauge({
    name: "llmpool_auth_key_last_used_seconds",
    help: "Unix time an HMAC key id last verified a request; watch it fall idle before removing a rotated key (operators only).",
    labelNames: ["key_id", "tenant"] as const,
    registers: [registries.operator],
  });
  const rateLimited = new Counter({
    name: "llmpool_rate_limited_total",
    help: "Requests refused by the {tenant, project} rate limit.",
    labelNames: ["tenant", "project"] as const,
    registers: [registries.public],
  });
  const quotaExhausted = new Counter({
    name: "llmpool_quota_exhausted_total",
    help: "Requests refused because the tenant's daily token quota is spent.",
    labelNames: ["tenant"] as const,
    registers: [registries.public],
  });
  const storeDegraded = new Counter({
    name: "llmpool_security_store_degraded_total",
    help: "Requests that met a Redis store down: refused (503) or served by the local fallback.",
    labelNames: ["store", "outcome"] as const,
    registers: [registries.public],
  });
  const jwks = new Counter({
    name: "llmpool_jwks_fetch_total",
    help: "Remote JWKS fetches by result; on failure the last good key set stays in use.",
    labelNames: ["result"] as const,
    registers: [registries.public],
  });
  return {
    authRefused: (scheme, reason) => refused.inc({ scheme, reason }),
    keyUsed: (keyId, tenant, atMs) => keyLastUsed.set({ key_id: keyId, tenant }, Math.floor(atMs / 1000)),
    rateLimited: (tenant, project) => rateLimited.inc({ tenant, project }),
    quotaExhausted: (tenant) => quotaExhausted.inc({ tenant }),
    storeDegraded: (store, outcome) => storeDegraded.inc({ store, outcome }),
    jwksFetched: (result) => jwks.inc({ result }),
  };
}
