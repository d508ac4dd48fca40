import type { RateDecision } from "./gcra.js";

/** The policy name the RateLimit headers use for the {tenant, project} bucket. */
export const RATE_POLICY_NAME = "infer";

/**
 * The response fields of a rate decision: `RateLimit-Policy` and `RateLimit`
 * as draft-ietf-httpapi-ratelimit-headers defines them (q = bucket size,
 * w = seconds to refill it from empty; r = remaining, t = seconds until
 * full), plus `Retry-After` (whole seconds, at least 1) when denied. Names
 * are lower case so they serve as gRPC metadata as they are.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const windowS = Math.max(1, Math.ceil((decision.limit * decision.intervalUs) / 1_000_000));
  const headers: Record<string, string> = {
    "ratelimit-policy": `"${RATE_POLICY_NAME}";q=${decision.limit};w=${windowS}`,
    ratelimit: `"${RATE_POLICY_NAME}";r=${decision.remaining};t=${Math.ceil(decision.resetUs / 1_000_000)}`,
  };
  if (!decision.allowed) headers["retry-after"] = String(Math.max(1, Math.ceil(decision.retryAfterUs / 1_000_000)));
  return headers;
}
