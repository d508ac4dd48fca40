import type { Clock, ProviderHealthRecord, ProviderStateName } from "@llm-pool/core";
import type { HealthPolicy } from "./health-policy.js";

export interface HealthIdentity {
  readonly name: string;
  readonly driver: string;
  readonly model: string;
}

/**
 * HealthTracker keeps one provider's state from probe results and real calls
 * alike (R-PRV-5): unknown until the first result, degraded after one failure,
 * unhealthy after `unhealthyAfter` in a row, healthy again after one success
 * (or `recoverAfter` in a row when coming back from unhealthy). It also says
 * when the provider should be probed next.
 */
export class HealthTracker {
  readonly identity: HealthIdentity;
  readonly #clock: Clock;
  readonly #policy: HealthPolicy;
  readonly #listeners = new Set<(state: ProviderStateName) => void>();
  #state: ProviderStateName = "unknown";
  #lastError = "";
  #updatedAt = 0;
  #failures = 0;
  #successes = 0;
  #recovering = false;
  /** Times the provider fell unhealthy since it last stayed healthy for `stableMs`. */
  #episodes = 0;
  #healthySince: number | undefined;

  constructor(identity: HealthIdentity, clock: Clock, policy: HealthPolicy) {
    this.identity = identity;
    this.#clock = clock;
    this.#policy = policy;
  }

  get state(): ProviderStateName {
    return this.#state;
  }

  /** Failures in a row (probes and calls). */
  get failureStreak(): number {
    return this.#failures;
  }

  recordSuccess(): void {
    this.#forgiveIfStable();
    this.#failures = 0;
    this.#successes++;
    const needed = this.#recovering ? this.#policy.recoverAfter : 1;
    this.#set(this.#successes >= needed ? "healthy" : "degraded");
  }

  /** `message` is a ProviderError's short message: safe to show on /readyz. */
  recordFailure(message: string): void {
    this.#forgiveIfStable();
    this.#successes = 0;
    this.#failures++;
    this.#lastError = message.slice(0, 256);
    const next = this.#failures >= this.#policy.unhealthyAfter ? "unhealthy" : "degraded";
    if (next === "unhealthy" && this.#state !== "unhealthy") {
      this.#episodes++;
      this.#recovering = true;
    }
    this.#set(next);
  }

  record(): ProviderHealthRecord {
    return { ...this.identity, state: this.#state, lastError: this.#lastError, updatedAt: this.#updatedAt };
  }

  /**
   * Healthy (or not yet known) providers are probed every `intervalMs`. Others
   * after `backoffBaseMs * 2^n`, n = failures in a row beyond the first plus the
   * earlier unhealthy episodes that were not forgiven, capped at `backoffMaxMs`.
   */
  nextProbeDelayMs(): number {
    this.#forgiveIfStable();
    if (this.#state === "healthy" || this.#state === "unknown") return this.#policy.intervalMs;
    const earlierEpisodes = this.#state === "unhealthy" ? this.#episodes - 1 : this.#episodes;
    const exponent = Math.max(0, this.#failures - 1) + Math.max(0, earlierEpisodes);
    return Math.min(this.#policy.backoffMaxMs, this.#policy.backoffBaseMs * 2 ** Math.min(exponent, 30));
  }

  /** Called with the new state on every state change. */
  onChange(listener: (state: ProviderStateName) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(state: ProviderStateName): void {
    if (state === "healthy") {
      this.#recovering = false;
      this.#lastError = "";
      this.#healthySince ??= this.#clock.now();
    } else {
      this.#healthySince = undefined;
    }
    if (state === this.#state) return;
    this.#state = state;
    this.#updatedAt = this.#clock.now();
    for (const listener of this.#listeners) listener(state);
  }

  #forgiveIfStable(): void {
    if (this.#healthySince !== undefined && this.#clock.now() - this.#healthySince >= this.#policy.stableMs) this.#episodes = 0;
  }
}
