import type { Clock } from "@llm-pool/core";

export interface HedgeBudgetOptions {
  /** Hedges allowed per primary call in the long run, e.g. 0.15 (at most 15% extra calls). In [0, 1]. */
  readonly share: number;
  /** The bucket's size: how many hedges may be spent in a burst. Default 5. */
  readonly burst?: number;
  /** After `markSaturated`, no hedge is allowed for this long. Default 2000 ms. */
  readonly cooloffMs?: number;
  readonly clock: Clock;
}

export interface HedgeBudgetStats {
  readonly primaries: number;
  readonly hedges: number;
  /** Hedges asked for and refused (empty bucket or saturation). */
  readonly denied: number;
  /** Tokens in the bucket now. */
  readonly tokens: number;
  /** Clock ms until which hedging is off after a saturation signal; 0 when it is not. */
  readonly saturatedUntil: number;
}

export interface HedgeBudgetView {
  canHedge(): boolean;
}

/**
 * HedgeBudget is a token bucket in the spirit of gRPC's hedging throttle:
 * every primary call adds `share` of a token, every hedge spends a whole one,
 * and the bucket holds at most `burst`. Over any run, hedges <= burst +
 * share * primaries, so hedging never adds more than about `share` extra load.
 * When an engine says it is overloaded (Ollama's 429 "server busy", a call
 * that timed out waiting in the pool's per-engine queue), `markSaturated`
 * switches hedging off for `cooloffMs` on the injected clock: a saturated
 * machine gets no speculative work at all. (hedgePlan already refuses engines
 * without a free slot at the moment of asking.) The bucket starts full.
 */
// Tokens are counted in millionths so that ten primaries at share 0.1 make
// exactly one token (floating-point sums would fall just short of it).
const UNIT = 1_000_000;

export class HedgeBudget implements HedgeBudgetView {
  readonly #share: number;
  readonly #burst: number;
  readonly #cooloffMs: number;
  readonly #clock: Clock;
  #tokens: number;
  #saturatedUntil = 0;
  #primaries = 0;
  #hedges = 0;
  #denied = 0;

  constructor(options: HedgeBudgetOptions) {
    const { share, burst = 5, cooloffMs = 2000, clock } = options;
    if (!(share >= 0 && share <= 1)) throw new RangeError(`hedge budget share must be in [0, 1], got ${share}`);
    if (!(burst >= 1)) throw new RangeError(`hedge budget burst must be at least 1, got ${burst}`);
    if (!(cooloffMs >= 0)) throw new RangeError(`hedge budget cooloffMs must not be negative, got ${cooloffMs}`);
    this.#share = Math.round(share * UNIT);
    this.#burst = Math.round(burst * UNIT);
    this.#cooloffMs = cooloffMs;
    this.#clock = clock;
    this.#tokens = this.#burst;
  }

  /** A query started its primary call. */
  recordPrimary(): void {
    this.#primaries++;
    this.#tokens = Math.min(this.#burst, this.#tokens + this.#share);
  }

  /** Whether a hedge would be allowed now (does not spend). */
  canHedge(): boolean {
    return this.#tokens >= UNIT && !this.#saturated();
  }

  /** Spends a token for a hedge about to start; false (and counted as denied) when none may start. */
  tryAcquire(): boolean {
    if (!this.canHedge()) {
      this.#denied++;
      return false;
    }
    this.#tokens -= UNIT;
    this.#hedges++;
    return true;
  }

  /** An engine is overloaded: no hedges until `cooloffMs` from now. */
  markSaturated(): void {
    this.#saturatedUntil = Math.max(this.#saturatedUntil, this.#clock.now() + this.#cooloffMs);
  }

  stats(): HedgeBudgetStats {
    return {
      primaries: this.#primaries,
      hedges: this.#hedges,
      denied: this.#denied,
      tokens: this.#tokens / UNIT,
      saturatedUntil: this.#saturated() ? this.#saturatedUntil : 0,
    };
  }

  #saturated(): boolean {
    return this.#clock.now() < this.#saturatedUntil;
  }
}
