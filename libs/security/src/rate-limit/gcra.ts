/** A token bucket: `rps` tokens per second refill a bucket of `burst`. */
export interface RateLimitPolicy {
  readonly rps: number;
  readonly burst: number;
}

/** The outcome of one request against a bucket. */
export interface RateDecision {
  readonly allowed: boolean;
  /** The bucket size (the policy's quota). */
  readonly limit: number;
  /** Requests that could still pass right now. */
  readonly remaining: number;
  /** When denied: time until one more request would pass, in µs; 0 when allowed. */
  readonly retryAfterUs: number;
  /** Time until the bucket is full again, in µs. */
  readonly resetUs: number;
  /** The policy's emission interval (µs per token). */
  readonly intervalUs: number;
}

/** The integer parameters both twins compute with (µs, exact in a double up to 2^53). */
export function gcraParams(policy: RateLimitPolicy): { intervalUs: number; burst: number } {
  return { intervalUs: Math.max(1, Math.round(1_000_000 / policy.rps)), burst: Math.max(1, Math.floor(policy.burst)) };
}

/**
 * GCRA, the generic cell rate algorithm: the state is one number, the
 * theoretical arrival time (TAT) of the next request. A request at `nowUs`
 * passes when TAT - burst·interval <= now after adding one interval; it
 * then advances TAT. This function is the in-memory twin of the Lua script
 * in redis.ts, operation for operation: the same inputs give the same
 * decision and the same new TAT.
 */
export function gcra(
  storedTatUs: number | undefined,
  nowUs: number,
  intervalUs: number,
  burst: number,
): { decision: RateDecision; newTatUs: number | undefined } {
  const tat = storedTatUs === undefined || storedTatUs < nowUs ? nowUs : storedTatUs;
  const newTat = tat + intervalUs;
  const allowAt = newTat - intervalUs * burst;
  if (nowUs < allowAt) {
    return {
      decision: { allowed: false, limit: burst, remaining: 0, retryAfterUs: allowAt - nowUs, resetUs: tat - nowUs, intervalUs },
      newTatUs: undefined,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: burst,
      remaining: Math.floor((nowUs - allowAt) / intervalUs),
      retryAfterUs: 0,
      resetUs: newTat - nowUs,
      intervalUs,
    },
    newTatUs: newTat,
  };
}
