import type { Clock } from "@llm-pool/core";
import type { RateLimiter } from "../rate-limiter.js";
import { gcra, gcraParams, type RateDecision, type RateLimitPolicy } from "./gcra.js";

/** Buckets in this process's memory; full buckets are forgotten as time passes. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #clock: Clock;
  readonly #tats = new Map<string, number>();
  #nextSweepUs = 0;

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  get size(): number {
    return this.#tats.size;
  }

  async consume(key: string, policy: RateLimitPolicy): Promise<RateDecision> {
    const nowUs = Math.floor(this.#clock.now()) * 1000;
    if (nowUs >= this.#nextSweepUs) this.#sweep(nowUs);
    const { intervalUs, burst } = gcraParams(policy);
    const { decision, newTatUs } = gcra(this.#tats.get(key), nowUs, intervalUs, burst);
    if (newTatUs !== undefined) this.#tats.set(key, newTatUs);
    return decision;
  }

  /** A bucket whose TAT has passed is full: the same as no entry at all. */
  #sweep(nowUs: number): void {
    for (const [key, tat] of this.#tats) if (tat <= nowUs) this.#tats.delete(key);
    this.#nextSweepUs = nowUs + 10_000_000;
  }
}
