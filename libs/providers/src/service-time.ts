/** How many answers a model needs before its typical time is trusted. */
export const SERVICE_TIME_MIN_SAMPLES = 3;

/**
 * Refusals in a row, with no answer between, after which a model's typical
 * time is stale: a time that only refuses calls never hears it has become
 * wrong, since only answers move it.
 */
export const SERVICE_TIME_STALE_AFTER_REFUSALS = 5;

/**
 * ServiceTime is one model's typical time on its engine: a moving average of
 * how long its answered calls held a slot (and of how far they strayed from
 * it), and of the max_tokens they asked for. A call asking for more tokens
 * than usual is expected to take proportionally longer (the engine may
 * generate up to max_tokens), so a client cannot make a healthy engine look
 * slow by asking for long answers.
 */
export class ServiceTime {
  readonly #smoothing: number;
  #ms = 0;
  /** Moving average of |sample - average|. */
  #deviation = 0;
  #maxTokens = 0;
  #samples = 0;
  /** Calls refused on this time since its last answer. */
  #refusals = 0;

  constructor(smoothing = 0.2) {
    this.#smoothing = smoothing;
  }

  get samples(): number {
    return this.#samples;
  }

  /**
   * Admission refused `SERVICE_TIME_STALE_AFTER_REFUSALS` calls on this time
   * in a row: a slow spell (a model reloading, a machine swapping) may be
   * over without the time knowing, so one call may run to measure it again.
   */
  get stale(): boolean {
    return this.#refusals >= SERVICE_TIME_STALE_AFTER_REFUSALS;
  }

  /** Admission refused a call because of this time. */
  refused(): void {
    this.#refusals++;
  }

  /** One answered call: how long it held its slot and how many tokens it asked for. */
  observe(ms: number, maxTokens: number | undefined): void {
    const tokens = maxTokens !== undefined && maxTokens > 0 ? maxTokens : this.#maxTokens;
    // A stale time is replaced, not moved: it described a spell that is over.
    const restart = this.#samples === 0 || this.stale;
    this.#refusals = 0;
    if (restart) {
      this.#deviation = 0;
      this.#ms = Math.max(0, ms);
      this.#maxTokens = tokens;
    } else {
      this.#deviation += this.#smoothing * (Math.abs(Math.max(0, ms) - this.#ms) - this.#deviation);
      this.#ms += this.#smoothing * (Math.max(0, ms) - this.#ms);
      this.#maxTokens += this.#smoothing * (tokens - this.#maxTokens);
    }
    this.#samples++;
  }

  /** The typical ms of a call asking for `maxTokens`, or undefined before enough answers. */
  expectedMs(maxTokens?: number): number | undefined {
    if (this.#samples < SERVICE_TIME_MIN_SAMPLES) return undefined;
    return this.#ms * this.#scale(maxTokens);
  }

  /**
   * The ms to plan for: the typical time plus twice its typical deviation, so
   * most calls finish within it. Admission plans with it, so that a call let
   * in with just the average time left does not become a timeout.
   */
  budgetMs(maxTokens?: number): number | undefined {
    if (this.#samples < SERVICE_TIME_MIN_SAMPLES) return undefined;
    return (this.#ms + 2 * this.#deviation) * this.#scale(maxTokens);
  }

  #scale(maxTokens: number | undefined): number {
    return maxTokens !== undefined && this.#maxTokens > 0 ? Math.max(1, maxTokens / this.#maxTokens) : 1;
  }
}
