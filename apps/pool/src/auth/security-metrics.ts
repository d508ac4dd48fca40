import type { SecurityObserver } from "@llm-pool/security";
import type { SecurityMetrics } from "@llm-pool/telemetry";
import type { EdgeLogger } from "../logger.js";

/**
 * The security layer's reports, wired to their metrics (defined in
 * libs/telemetry) and to the log: refusal reasons and store failures go to
 * the logs, never to responses.
 */
export function securityMetrics(metrics: SecurityMetrics, logger: EdgeLogger): SecurityObserver {
  return {
    refused(scheme, reason) {
      metrics.authRefused(scheme, reason);
      logger.warn({ scheme, reason }, "request refused by the auth step");
    },
    keyUsed: (keyId, tenant, atMs) => metrics.keyUsed(keyId, tenant, atMs),
    rateLimited: (tenant, project) => metrics.rateLimited(tenant, project),
    quotaExhausted: (tenant) => metrics.quotaExhausted(tenant),
    storeFailed: (store, error) => logger.warn({ store, err: error }, "security store (Redis) failed"),
    storeDegraded: (store, outcome) => metrics.storeDegraded(store, outcome),
    jwksFetched(url, result) {
      metrics.jwksFetched(result);
      if (result === "failed") logger.warn({ url }, "JWKS fetch failed; keeping the last good key set");
    },
  };
}
