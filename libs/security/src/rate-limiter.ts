import type { RateDecision, RateLimitPolicy } from "./rate-limit/gcra.js";

/**
 * A token bucket per key (R-SEC-5). The memory and Redis implementations run
 * the same GCRA arithmetic, so on the same timeline they decide alike.
 */
export interface RateLimiter {
  /** Takes one token from `key`'s bucket if one is there. Rejects when the store cannot answer. */
  consume(key: string, policy: RateLimitPolicy): Promise<RateDecision>;
}
