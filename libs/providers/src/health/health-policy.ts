/**
 * The health thresholds and probe timing (R-PRV-5). One failure (probe or real
 * call) makes a provider degraded, `unhealthyAfter` in a row make it unhealthy;
 * `recoverAfter` successes in a row make it healthy again. Healthy providers are
 * probed every `intervalMs`; a failing one is re-probed after `backoffBaseMs`,
 * doubling with each further failure and each time it falls unhealthy again
 * before it has stayed healthy for `stableMs` (flapping), up to `backoffMaxMs`.
 */
export interface HealthPolicy {
  readonly unhealthyAfter: number;
  readonly recoverAfter: number;
  readonly intervalMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** How long a provider must stay healthy before its flapping count is forgiven. */
  readonly stableMs: number;
  /** A probe that has not answered in this long failed. */
  readonly probeTimeoutMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  unhealthyAfter: 3,
  recoverAfter: 2,
  intervalMs: 15_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  stableMs: 300_000,
  probeTimeoutMs: 2_000,
};
