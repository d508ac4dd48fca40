/** How many answers a model needs before its typical time is trusted. */
export const SERVICE_TIME_MIN_SAMPLES = 3;

/**
 * ServiceTime is one model's typical time on its engine: a moving average of
 * how long its answered calls held a slot, and of the max_tokens they asked
 * for. A call asking for more tokens than usual is expected to take
 * proportionally longer (the engine may generate up to max_tokens), so a
 * client cannot make a healthy engine look slow by asking for long answers.
 */
export class ServiceTime {
  readonly #smoothing: number;
  #ms = 0;
  #maxTokens = 0;
  #samples = 0;

  constructor(smoothing = 0.2) {
    this.#smoothing = smoothing;
  }

  get samples(): number {
    return this.#samples;
  }

  /** One answered call: how long it held its slot and how many tokens it asked for. */
  observe(ms: number, maxTokens: number | undefined): void {
    const tokens = maxTokens !== undefined && maxTokens > 0 ? maxTokens : this.#maxTokens;
    if (this.#samples === 0) {
      this.#ms = Math.max(0, ms);
      this.#maxTokens = tokens;
    } else {
      this.#ms += this.#smoothing * (Math.max(0, ms) - this.#ms);
      this.#maxTokens += this.#smoothing * (tokens - this.#maxTokens);
    }
    this.#samples++;
  }

  /** The typical ms of a call asking for `maxTokens`, or undefined before enough answers. */
  expectedMs(maxTokens?: number): number | undefined {
    if (this.#samples < SERVICE_TIME_MIN_SAMPLES) return undefined;
    const scale = maxTokens !== undefined && this.#maxTokens > 0 ? Math.max(1, maxTokens / this.#maxTokens) : 1;
    return this.#ms * scale;
  }
}
