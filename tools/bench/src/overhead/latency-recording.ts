/**
 * The latencies of one load run, kept whole (a Float64Array that doubles as it fills: 8 bytes a request, so
 * a million requests cost 8 MB) so percentiles are exact rather than bucketed.
 */
export class LatencyRecording {
  #values = new Float64Array(1024);
  #count = 0;
  #sorted: Float64Array | undefined;

  get count(): number {
    return this.#count;
  }

  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
    this.#sorted = undefined;
  }

  /** Appends every value of `other` (rounds of one configuration merged into one distribution). */
  addAll(other: LatencyRecording): void {
    for (let i = 0; i < other.#count; i++) this.add(other.#values[i]!);
  }

  /** Nearest-rank percentile, `p` in [0, 1]; NaN when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN;
    this.#sorted ??= this.#values.slice(0, this.#count).sort();
    return this.#sorted[Math.max(1, Math.ceil(p * this.#count)) - 1]!;
  }

  mean(): number {
    let sum = 0;
    for (let i = 0; i < this.#count; i++) sum += this.#values[i]!;
    return this.#count === 0 ? Number.NaN : sum / this.#count;
  }

  summary(): LatencyPercentiles {
    return {
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      p999: this.percentile(0.999),
      max: this.percentile(1),
      mean: this.mean(),
    };
  }
}

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}
