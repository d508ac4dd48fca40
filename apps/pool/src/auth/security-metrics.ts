import type { SecurityObserver } from "@llm-pool/security";
import { Counter, Gauge, type Registry } from "prom-client";
import type { EdgeLogger } from "../logger.js";

/** Where the families go: `public` may be read by anyone, `operator` only with the "metrics" scope. */
export interface SecurityRegistries {
  readonly public: Registry;
  readonly operator: Registry;
}

/**
 * The security layer's reports as Prometheus metrics, and refusal reasons in
 * the logs (never in responses). Which key ids exist and which check refused
 * a request are operator metrics: public ones would tell an attacker which
 * credentials to aim at and what to fix in a forged one. Labels are bounded:
 * reasons are a closed set; key ids, tenants and projects come from the
 * config, and only verified ones are counted.
 */
export function securityMetrics(registries: SecurityRegistries, logger: EdgeLogger): SecurityObserver {
  const registry = registries.public;
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
    registers: [registry],
  });
  const quotaExhausted = new Counter({
    name: "llmpool_quota_exhausted_total",
    help: "Requests refused because the tenant's daily token quota is spent.",
    labelNames: ["tenant"] as const,
    registers: [registry],
  });
  const storeDegraded = new Counter({
    name: "llmpool_security_store_degraded_total",
    help: "Requests that met a Redis store down: refused (503) or served by the local fallback.",
    labelNames: ["store", "outcome"] as const,
    registers: [registry],
  });
  const jwks = new Counter({
    name: "llmpool_jwks_fetch_total",
    help: "Remote JWKS fetches by result; on failure the last good key set stays in use.",
    labelNames: ["result"] as const,
    registers: [registry],
  });

  return {
    refused(scheme, reason) {
      refused.inc({ scheme, reason });
      logger.warn({ scheme, reason }, "request refused by the auth step");
    },
    keyUsed: (keyId, tenant, atMs) => keyLastUsed.set({ key_id: keyId, tenant }, Math.floor(atMs / 1000)),
    rateLimited: (tenant, project) => rateLimited.inc({ tenant, project }),
    quotaExhausted: (tenant) => quotaExhausted.inc({ tenant }),
    storeFailed: (store, error) => logger.warn({ store, err: error }, "security store (Redis) failed"),
    storeDegraded: (store, outcome) => storeDegraded.inc({ store, outcome }),
    jwksFetched(url, result) {
      jwks.inc({ result });
      if (result === "failed") logger.warn({ url }, "JWKS fetch failed; keeping the last good key set");
    },
  };
}
