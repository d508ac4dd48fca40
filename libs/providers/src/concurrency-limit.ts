export interface ConcurrencyLimitOptions {
  /** The upper bound (`max_concurrency`); the limit starts here. */
  readonly max: number;
  /** Learn the limit (true) or keep it at `max`. */
  readonly adaptive: boolean;
  /** Latency over this many times a model's time alone means calls queue inside the engine. Default 1.5. */
  readonly tolerance?: number;
  /** Answers per decision. Default 10. */
  readonly window?: number;
  /**
   * Latency must also exceed a model's time alone by this many ms before it means a queue inside the engine.
   * Default 50: a queued generation waits for at least one other, while a few ms more under load are the
   * pool's own event loop and sockets, which fewer calls at once would not shorten.
   */
  readonly minQueueMs?: number;
}

/** One answered call, as the limit learns from it. */
export interface LatencySample {
  readonly model: string;
  /** Time the call held its slot. */
  readonly ms: number;
  /** No other call ran on the engine at any moment of this one. */
  readonly solo: boolean;
  /** The call had to wait for its slot: demand was above the limit. */
  readonly busy: boolean;
}

/**
 * ConcurrencyLimit learns how many calls one engine should run at once
 * (R-QOS-5), after Netflix's concurrency-limits and Envoy's adaptive
 * concurrency: additive increase, multiplicative decrease on a latency
 * gradient, bounded by `max_concurrency`.
 *
 * Each model's time alone on the engine is its no-load latency (a moving
 * average of the calls that ran with nothing beside them). Every `window`
 * answers, the median of latency / no-load latency says whether calls wait
 * inside the engine: above `tolerance`, and longer than the time alone by
 * more than `minQueueMs` (the engine queues behind its own slots, or
 * generations crowd each other out) the limit drops to about
 * limit / ratio (the calls that really run at once) plus a little headroom,
 * the gradient of Netflix's limiter; at or below it, and when the limit was
 * reached in the window, it grows by one. So a busier or slower Mac mini gets fewer calls at once, and one with
 * more slots gets up to `max_concurrency`. An engine that says it is
 * overloaded (HTTP 429) cuts the limit at once. A call cut after running far
 * past its typical time is one latency of at least that long in the median:
 * one stalled generation is not the engine being overloaded (the calls beside
 * it answered in their usual time), while an engine whose calls mostly run
 * long is. When a busy engine gives `window` answers of a model never seen
 * alone, the limit drops to 1 until one is measured.
 */
export class ConcurrencyLimit {
  readonly #tolerance: number;
  readonly #window: number;
  readonly #minQueueMs: number;
  #max: number;
  #adaptive: boolean;
  #limit: number;
  readonly #alone = new Map<string, number>();
  #ratios: number[] = [];
  #excessMs: number[] = [];
  #unmeasured = 0;
  #reached = false;

  constructor(options: ConcurrencyLimitOptions) {
    this.#max = Math.max(1, Math.floor(options.max));
    this.#adaptive = options.adaptive;
    this.#tolerance = options.tolerance ?? 1.5;
    this.#window = options.window ?? 10;
    this.#minQueueMs = options.minQueueMs ?? 50;
    this.#limit = this.#max;
  }

  get limit(): number {
    return this.#limit;
  }

  get max(): number {
    return this.#max;
  }

  /** A reload changed `max_concurrency` or the adaptive switch. */
  reconfigure(max: number, adaptive: boolean): void {
    this.#max = Math.max(1, Math.floor(max));
    this.#adaptive = adaptive;
    this.#limit = adaptive ? Math.min(this.#limit, this.#max) : this.#max;
    if (adaptive && this.#limit < 1) this.#limit = 1;
  }

  /** A call started with `inFlight` calls (itself included) running. */
  started(inFlight: number): void {
    if (inFlight >= this.#limit) this.#reached = true;
  }

  answered(sample: LatencySample): void {
    if (!this.#adaptive) return;
    if (sample.solo) this.#alone.set(sample.model, ewma(this.#alone.get(sample.model), sample.ms));
    this.#gradient(sample);
  }

  /**
   * A call cut after holding its slot `sample.ms` without answering (a stall,
   * or an engine far behind): a latency of at least that in the gradient, but
   * never a time alone, which only answers measure.
   */
  cutShort(sample: LatencySample): void {
    if (this.#adaptive) this.#gradient(sample);
  }

  #gradient(sample: LatencySample): void {
    const alone = this.#alone.get(sample.model);
    if (alone === undefined || alone <= 0) {
      // Busy and never seen alone: run one call at a time until a no-load latency is measured.
      if (sample.busy && ++this.#unmeasured >= this.#window && this.#limit > 1) this.#set(1);
      return;
    }
    this.#unmeasured = 0;
    this.#ratios.push(sample.ms / alone);
    this.#excessMs.push(sample.ms - alone);
    if (this.#ratios.length < this.#window) return;
    const ratio = median(this.#ratios);
    if (ratio > this.#tolerance && median(this.#excessMs) > this.#minQueueMs) {
      // Calls take `ratio` times their time alone: about limit / ratio of them really run at once.
      this.#set(Math.max(1, Math.min(this.#limit - 1, Math.round((this.#limit / ratio) * HEADROOM))));
    } else if (this.#reached) {
      this.#set(Math.min(this.#max, this.#limit + 1));
    } else {
      this.#set(this.#limit);
    }
  }

  /** The engine said it cannot take more (HTTP 429). */
  overloaded(): void {
    if (this.#adaptive) this.#decrease();
  }

  #decrease(): void {
    this.#set(Math.max(1, Math.floor(this.#limit * 0.75)));
  }

  #set(limit: number): void {
    this.#limit = limit;
    this.#ratios = [];
    this.#excessMs = [];
    this.#reached = false;
  }
}

/** Room kept above the estimated number of slots, so the engine never idles while the pool holds calls back. */
const HEADROOM = 1.2;

function ewma(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + 0.3 * (sample - previous);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
