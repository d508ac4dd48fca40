export interface LatencyTrackerOptions {
  /** Recent successful calls kept per (provider, task). Default 128. */
  readonly size?: number;
}

export interface HedgeDelayOptions {
  /** The delay to use until enough samples exist: the task's hedge_after_ms. */
  readonly fallbackMs: number;
  /** Which percentile of the primary's latency to hedge at, in (0, 1]. Default 0.9. */
  readonly percentile?: number;
  /** Samples needed before the percentile is trusted. Default 20. */
  readonly minSamples?: number;
  /** Lower clamp. Default 50 ms. */
  readonly minMs?: number;
  /** Upper clamp. Default 2000 ms. */
  readonly maxMs?: number;
}

/** A fixed-size ring of recent latencies, sorted lazily when read. */
class LatencyRing {
  readonly #values: Float64Array;
  #next = 0;
  #count = 0;
  #sorted: Float64Array | undefined;

  constructor(size: number) {
    this.#values = new Float64Array(size);
  }

  get count(): number {
    return this.#count;
  }

  add(ms: number): void {
    this.#values[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#count = Math.min(this.#count + 1, this.#values.length);
    this.#sorted = undefined;
  }

  /** Nearest-rank percentile. */
  percentile(p: number): number {
    this.#sorted ??= this.#values.slice(0, this.#count).sort();
    const rank = Math.max(1, Math.ceil(p * this.#count));
    return this.#sorted[rank - 1]!;
  }
}

/**
 * LatencyTracker keeps the latency of recent successful calls per (provider,
 * task) so FASTEST can hedge at an observed percentile of the primary
 * instead of a fixed delay: a fast provider is hedged sooner, a slow one
 * later, and about (1 - percentile) of primaries get a hedge either way.
 * Record only a call's own latency (from its start, not the query's), and only
 * for valid answers: failures end early and cancelled calls never end.
 */
export class LatencyTracker {
  readonly #size: number;
  readonly #rings = new Map<string, LatencyRing>();

  constructor(options: LatencyTrackerOptions = {}) {
    const size = options.size ?? 128;
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`latency tracker size must be a positive integer, got ${size}`);
    this.#size = size;
  }

  record(provider: string, task: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const k = key(provider, task);
    let ring = this.#rings.get(k);
    if (!ring) {
      ring = new LatencyRing(this.#size);
      this.#rings.set(k, ring);
    }
    ring.add(ms);
  }

  count(provider: string, task: string): number {
    return this.#rings.get(key(provider, task))?.count ?? 0;
  }

  /** The p-th percentile (p in (0, 1]) of the recent latencies, or undefined without samples. */
  percentile(provider: string, task: string, p: number): number | undefined {
    if (!(p > 0 && p <= 1)) throw new RangeError(`percentile must be in (0, 1], got ${p}`);
    const ring = this.#rings.get(key(provider, task));
    return ring && ring.count > 0 ? ring.percentile(p) : undefined;
  }

  /**
   * How long FASTEST should wait on `provider` before hedging: its observed
   * percentile clamped to [minMs, maxMs], or `fallbackMs` as configured
   * while it has fewer than `minSamples` samples.
   */
  hedgeDelay(provider: string, task: string, options: HedgeDelayOptions): number {
    const { fallbackMs, percentile = 0.9, minSamples = 20, minMs = 50, maxMs = 2000 } = options;
    if (this.count(provider, task) < minSamples) return fallbackMs;
    const observed = this.percentile(provider, task, percentile)!;
    return Math.round(Math.min(Math.max(observed, minMs), Math.max(minMs, maxMs)));
  }
}

function key(provider: string, task: string): string {
  return `${provider}\u0000${task}`;
}
