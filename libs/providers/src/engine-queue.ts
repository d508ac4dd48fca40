import type { Clock } from "@llm-pool/core";
import { ServiceTime } from "./service-time.js";

/** What a call asks of the engine: which model, and how much it may generate. */
export interface EngineWork {
  readonly model: string;
  readonly maxTokens?: number;
}

/** A held engine slot; release it exactly once when the call ends. */
export interface SlotLease {
  /** `durationMs` feeds the engine's moving average; leave it out for calls that say nothing about speed (cancelled, failed). */
  release(durationMs?: number): void;
}

export interface EngineQueueOptions {
  readonly name: string;
  readonly maxConcurrency: number;
  readonly clock: Clock;
  /** Weight of the newest call in the moving average of call duration (default 0.2). */
  readonly smoothing?: number;
}

/** Why a call was refused without waiting. */
export class SaturatedError extends Error {
  override readonly name = "SaturatedError";
  readonly expectedWaitMs: number;

  constructor(engine: string, expectedWaitMs: number) {
    super(`engine ${engine} is saturated: the expected wait of ${Math.round(expectedWaitMs)} ms would miss the deadline`);
    this.expectedWaitMs = expectedWaitMs;
  }
}

interface Waiter {
  readonly grant: () => void;
}

/**
 * EngineQueue is the slot queue of one engine (R-PRV-6): at most
 * `maxConcurrency` calls run at once, across every provider of the engine, and
 * the rest wait in arrival order. It is deadline-aware: from a moving average
 * of call duration it estimates when a newcomer would finish, and refuses at
 * once (SaturatedError) a caller whose deadline falls before that, so the
 * ensemble can hedge elsewhere instead of queueing into a timeout. A waiting
 * caller whose signal aborts leaves the queue.
 */
export class EngineQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #smoothing: number;
  #limit: number;
  /** Start times (clock ms) of the running calls. */
  readonly #running = new Set<{ readonly startedAt: number }>();
  readonly #waiting: Waiter[] = [];
  readonly #models = new Map<string, ServiceTime>();
  #averageMs: number | undefined;

  constructor(options: EngineQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock;
    this.#smoothing = options.smoothing ?? 0.2;
    this.#limit = Math.max(1, options.maxConcurrency);
  }

  get limit(): number {
    return this.#limit;
  }

  get active(): number {
    return this.#running.size;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Moving average of call duration, or undefined before the first measured call. */
  get averageMs(): number | undefined {
    return this.#averageMs;
  }

  /**
   * The typical ms a call to `model` asking for `maxTokens` holds a slot, from
   * the model's recent answers on this engine; undefined before it has enough.
   */
  typicalMs(model: string, maxTokens?: number): number | undefined {
    return this.#models.get(model)?.expectedMs(maxTokens);
  }

  /** Whether a call would start now, without queueing (the ensemble's hedging asks this). */
  hasFreeSlot(): boolean {
    return this.#running.size < this.#limit && this.#waiting.length === 0;
  }

  /** A reload may change the limit; running calls keep their slots, waiters start if room appeared. */
  setLimit(maxConcurrency: number): void {
    this.#limit = Math.max(1, maxConcurrency);
    this.#grantWhileFree();
  }

  /**
   * Expected ms from now until a newcomer's call would be done: each busy slot
   * frees when its call reaches the average duration, each caller already
   * waiting takes the next free slot for one average duration, then the
   * newcomer runs for one more. 0 while nothing has been measured.
   */
  expectedCompletionMs(): number {
    const average = this.#averageMs;
    if (average === undefined) return 0;
    const now = this.#clock.now();
    const freeAt = [...this.#running].map((call) => Math.max(0, call.startedAt + average - now));
    while (freeAt.length < this.#limit) freeAt.push(0);
    freeAt.sort((a, b) => a - b);
    for (let i = 0; i < this.#waiting.length; i++) {
      freeAt[0] = freeAt[0]! + average;
      freeAt.sort((a, b) => a - b);
    }
    return freeAt[0]! + average;
  }

  /**
   * Takes a slot, waiting in line when none is free. Rejects with a
   * SaturatedError when the call would have to wait and could not finish by
   * `deadlineAt` (clock ms), and with the signal's reason when it aborts first.
   */
  acquire(signal: AbortSignal, deadlineAt?: number, work?: EngineWork): Promise<SlotLease> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.hasFreeSlot()) return Promise.resolve(this.#start(work));
    if (deadlineAt !== undefined) {
      const done = this.#clock.now() + this.expectedCompletionMs();
      if (this.#averageMs !== undefined && done > deadlineAt) {
        return Promise.reject(new SaturatedError(this.name, this.expectedCompletionMs() - this.#averageMs));
      }
    }
    return new Promise<SlotLease>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.#start(work));
        },
      };
      this.#waiting.push(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #start(work: EngineWork | undefined): SlotLease {
    const call = { startedAt: this.#clock.now() };
    this.#running.add(call);
    let released = false;
    return {
      release: (durationMs?: number) => {
        if (released) return;
        released = true;
        this.#running.delete(call);
        if (durationMs !== undefined) {
          this.#observe(durationMs);
          if (work) this.#serviceTime(work.model).observe(durationMs, work.maxTokens);
        }
        this.#grantWhileFree();
      },
    };
  }

  #observe(durationMs: number): void {
    const sample = Math.max(0, durationMs);
    this.#averageMs = this.#averageMs === undefined ? sample : this.#averageMs + this.#smoothing * (sample - this.#averageMs);
  }

  #serviceTime(model: string): ServiceTime {
    let time = this.#models.get(model);
    if (!time) this.#models.set(model, (time = new ServiceTime(this.#smoothing)));
    return time;
  }

  #grantWhileFree(): void {
    while (this.#running.size < this.#limit && this.#waiting.length > 0) this.#waiting.shift()!.grant();
  }
}
