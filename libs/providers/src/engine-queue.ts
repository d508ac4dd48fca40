import { admissionRefusal, type CallForecast, type Clock } from "@llm-pool/core";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { FairQueue, type FairPlacement } from "./fair-queue.js";
import { SERVICE_TIME_MIN_SAMPLES, ServiceTime } from "./service-time.js";

/** What a call asks of the engine, and on whose behalf. */
export interface EngineWork {
  readonly model: string;
  /**
   * The kind of work (the task, or "judge" for a verdict): a model's calls for
   * one task read prompts of one shape, so each task's typical time is kept
   * apart; a verdict that reads every answer must not make the model's
   * candidate calls look slow, nor the other way round.
   */
  readonly task?: string;
  readonly maxTokens?: number;
  /** The tenant whose fair share the call draws on; calls without one share the "default" share. */
  readonly tenant?: string;
  /** Higher first within a tenant's calls, and on ties between tenants (the task's `priority`). */
  readonly priority?: number;
}

/** A held engine slot; release it exactly once when the call ends. */
export interface SlotLease {
  /**
   * `durationMs` feeds the model's typical time and the limit; leave it out for
   * calls that say nothing about speed (cancelled, failed). `overloaded` tells
   * the limit the engine said it could not keep up (429); `heldMs`, that the
   * call was cut after holding its slot that long far past its typical time:
   * a lower bound of its latency for the limit, never a typical time.
   */
  release(durationMs?: number, options?: { overloaded?: boolean; heldMs?: number }): void;
}

export interface EngineQueueOptions {
  readonly name: string;
  /** The most calls at once; the adaptive limit starts here and never goes above it. */
  readonly maxConcurrency: number;
  readonly clock: Clock;
  /** Learn the limit from latency (default true); false keeps it at maxConcurrency. */
  readonly adaptive?: boolean;
  /** A tenant's weight in the fair share (default 1 for every tenant). */
  readonly weightOf?: (tenant: string) => number;
  /** Weight of the newest call in the moving averages of service time (default 0.2). */
  readonly smoothing?: number;
}

/** Why a call was refused without reaching the engine (R-QOS-5). */
export class SaturatedError extends Error {
  override readonly name = "SaturatedError";
  readonly engine: string;
  readonly expectedWaitMs: number;
  /** When a call like this one could be admitted again, by the same estimate. */
  readonly retryAfterMs: number;

  constructor(engine: string, expectedWaitMs: number, retryAfterMs: number, message: string) {
    super(message);
    this.engine = engine;
    this.expectedWaitMs = expectedWaitMs;
    this.retryAfterMs = retryAfterMs;
  }
}

interface Waiter {
  readonly work: EngineWork | undefined;
  readonly deadlineAt: number | undefined;
  readonly grant: () => void;
  readonly refuse: (error: SaturatedError) => void;
}

/** A model's typical times over every task, and per task (see EngineWork.task). */
interface ModelTimes {
  readonly all: ServiceTime;
  readonly byTask: Map<string, ServiceTime>;
}

interface Running {
  readonly startedAt: number;
  readonly work: EngineWork | undefined;
  /** Nothing else ran beside it so far. */
  solo: boolean;
  /** It had to wait for its slot: calls were queueing. */
  readonly busy: boolean;
}

const DEFAULT_TENANT = "default";

/**
 * EngineQueue is the admission point of one engine (R-PRV-6, R-QOS-5): every
 * provider of the engine takes a slot here before calling it.
 *
 * - The number of slots is learned (ConcurrencyLimit), bounded by max_concurrency.
 * - Waiting calls are served by weighted fair queueing over tenants, then by
 *   task priority (FairQueue), so one tenant's burst cannot starve the others.
 * - Admission is deadline-aware: from each model's typical time and what is
 *   running and waiting ahead in fair order, it forecasts when a newcomer
 *   would finish, and refuses at once (SaturatedError) a call that would miss
 *   its deadline; a waiter whose deadline can no longer be met when its turn
 *   comes is refused then instead of being run into a timeout. After five
 *   refusals in a row with no answer between, a model's time is stale (its
 *   slow spell may be over): the next call that finds a slot free runs, and
 *   its answer replaces the time.
 * - A waiter whose signal aborts leaves the queue.
 */
export class EngineQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #smoothing: number;
  readonly #limit: ConcurrencyLimit;
  readonly #weightOf: (tenant: string) => number;
  readonly #running = new Set<Running>();
  readonly #waiting = new FairQueue<Waiter>();
  /** Typical times per model, over every task and per task (see EngineWork.task). */
  readonly #models = new Map<string, ModelTimes>();
  readonly #engineTime: ServiceTime;
  #refused = 0;

  constructor(options: EngineQueueOptions) {
    this.name = options.name;
    this.#clock = options.clock;
    this.#smoothing = options.smoothing ?? 0.2;
    this.#limit = new ConcurrencyLimit({ max: options.maxConcurrency, adaptive: options.adaptive ?? true });
    this.#weightOf = options.weightOf ?? (() => 1);
    this.#engineTime = new ServiceTime(this.#smoothing);
  }

  /** Calls allowed at once now (learned, at most max_concurrency). */
  get limit(): number {
    return this.#limit.limit;
  }

  get maxConcurrency(): number {
    return this.#limit.max;
  }

  get active(): number {
    return this.#running.size;
  }

  get waiting(): number {
    return this.#waiting.size;
  }

  /** Calls refused without reaching the engine since the start (at admission or when their turn came too late). */
  get refused(): number {
    return this.#refused;
  }

  /** Whether a call would start now, without queueing (hedging asks this). */
  hasFreeSlot(): boolean {
    return this.#running.size < this.limit && this.#waiting.size === 0;
  }

  /**
   * The typical ms a call for `work` holds a slot, from the model's recent
   * answers to that task on this engine (or to any task, while that one has
   * too few); undefined before the model has enough.
   */
  typicalMs(work: EngineWork): number | undefined {
    return this.#modelTime(work)?.expectedMs(work.maxTokens);
  }

  /** A reload may change the bound or switch learning off; running calls keep their slots. */
  reconfigure(maxConcurrency: number, adaptive = true): void {
    this.#limit.reconfigure(maxConcurrency, adaptive);
    this.#grantWhileFree();
  }

  /**
   * When a call for `work` started now would get a slot and how long it would
   * hold it, by the same estimate admission uses; undefined while nothing has
   * been measured on this engine.
   */
  forecast(work: EngineWork): CallForecast | undefined {
    const serviceMs = this.#budgetMs(work);
    const typicalMs = this.#serviceMs(work);
    if (serviceMs === undefined || typicalMs === undefined) return undefined;
    if (this.hasFreeSlot()) return { waitMs: 0, serviceMs, typicalMs };
    return { waitMs: this.#waitBehind(this.#waiting.ahead(this.#placement(work)), serviceMs), serviceMs, typicalMs };
  }

  /**
   * Takes a slot, waiting in fair order when none is free. Rejects at once with
   * a SaturatedError when the call would have to wait and could not finish by
   * `deadlineAt` (clock ms), and with the signal's reason when it aborts first.
   */
  acquire(signal: AbortSignal, deadlineAt?: number, work?: EngineWork): Promise<SlotLease> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const forecast = deadlineAt === undefined ? undefined : work ? this.forecast(work) : this.#engineForecast();
    if (deadlineAt !== undefined && forecast !== undefined) {
      const left = deadlineAt - this.#clock.now();
      const refusal = admissionRefusal(this.name, forecast, left);
      const time = work && this.#modelTime(work);
      // A stale time lets a call through on a free slot, to measure the model again.
      if (refusal && !(time?.stale && this.hasFreeSlot())) {
        this.#refused++;
        time?.refused();
        return Promise.reject(new SaturatedError(this.name, forecast.waitMs, this.#retryAfterMs(), refusal));
      }
    }
    if (this.hasFreeSlot()) return Promise.resolve(this.#start(work));
    return new Promise<SlotLease>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.remove(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        work,
        deadlineAt,
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          resolve(this.#start(work, true));
        },
        refuse: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#waiting.push(waiter, this.#placement(work));
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  #start(work: EngineWork | undefined, queued = false): SlotLease {
    const call: Running = {
      startedAt: this.#clock.now(),
      work,
      solo: this.#running.size === 0,
      busy: queued,
    };
    for (const other of this.#running) other.solo = false;
    this.#running.add(call);
    this.#limit.started(this.#running.size);
    let released = false;
    return {
      release: (durationMs, options = {}) => {
        if (released) return;
        released = true;
        this.#running.delete(call);
        if (durationMs !== undefined) {
          this.#engineTime.observe(durationMs, work?.maxTokens);
          if (work) {
            const times = this.#modelTimes(work.model);
            times.all.observe(durationMs, work.maxTokens);
            if (work.task !== undefined) this.#taskTime(times, work.task).observe(durationMs, work.maxTokens);
            this.#limit.answered({ model: work.model, ms: durationMs, solo: call.solo, busy: call.busy });
          }
        }
        if (options.heldMs !== undefined && work) {
          this.#limit.cutShort({ model: work.model, ms: options.heldMs, solo: call.solo, busy: call.busy });
        }
        if (options.overloaded) this.#limit.overloaded();
        this.#grantWhileFree();
      },
    };
  }

  /**
   * Starts waiters in fair order while slots are free. A waiter that can no
   * longer finish in time is refused instead: one with less than its typical
   * time left, or, when others wait behind it, less than its planned time (the
   * slot then goes to a call likelier to make it).
   */
  #grantWhileFree(): void {
    while (this.#running.size < this.limit && this.#waiting.size > 0) {
      const waiter = this.#waiting.pop()!;
      const typical = this.#serviceMs(waiter.work);
      const planned = this.#budgetMs(waiter.work);
      const left = waiter.deadlineAt === undefined ? Infinity : waiter.deadlineAt - this.#clock.now();
      const serviceMs = this.#waiting.size > 0 ? planned : typical;
      if (serviceMs !== undefined && serviceMs > left) {
        this.#refused++;
        waiter.refuse(
          new SaturatedError(
            this.name,
            0,
            this.#retryAfterMs(),
            `engine ${this.name} is saturated: the call's turn came with ${Math.round(left)} ms left, less than the ${Math.round(serviceMs)} ms it needs`,
          ),
        );
        continue;
      }
      waiter.grant();
    }
  }

  /** When the queue will have drained to what the slots can start at once: the work waiting, spread over the slots. */
  #retryAfterMs(): number {
    const perCall = this.#engineTime.expectedMs() ?? 0;
    return Math.max(1000, Math.ceil(((this.#waiting.size + 1) * perCall) / this.limit));
  }

  /**
   * Times (ms from now) at which each of the `limit` slots is expected to be
   * free. Planned (not typical) times: a call admitted on a hopeful wait would
   * be refused later, after waiting, when its turn comes too late.
   */
  #slotTimes(): number[] {
    const now = this.#clock.now();
    const limit = this.limit;
    const slots = Array<number>(Math.max(0, limit - this.#running.size)).fill(0);
    for (const call of this.#running) slots.push(Math.max(0, call.startedAt + (this.#budgetMs(call.work) ?? 0) - now));
    slots.sort((a, b) => a - b);
    // With more running than the limit (it was lowered), the first completions free no slot.
    return slots.length > limit ? slots.slice(slots.length - limit) : slots;
  }

  /** A call that says nothing of itself waits behind everyone. */
  #engineForecast(): CallForecast | undefined {
    const serviceMs = this.#engineTime.budgetMs();
    const typicalMs = this.#engineTime.expectedMs();
    if (serviceMs === undefined || typicalMs === undefined) return undefined;
    const waitMs = this.hasFreeSlot() ? 0 : this.#waitBehind(this.#waiting.items(), serviceMs);
    return { waitMs, serviceMs, typicalMs };
  }

  /** Ms until a slot frees for a newcomer, once each of `ahead` has taken the earliest free slot for its planned time. */
  #waitBehind(ahead: readonly Waiter[], fallbackMs: number): number {
    // Ascending, so already a min-heap: each waiter takes the root, which then sinks to its place (O(log slots)).
    const slots = this.#slotTimes();
    if (slots.length === 0) return Infinity;
    for (const waiter of ahead) {
      slots[0] = slots[0]! + (this.#budgetMs(waiter.work) ?? fallbackMs);
      siftDown(slots);
    }
    return slots[0]!;
  }

  /** The model's typical time (for the task), or the engine's while the model has too few answers. */
  #serviceMs(work: EngineWork | undefined): number | undefined {
    return (work && this.#modelTime(work)?.expectedMs(work.maxTokens)) ?? this.#engineTime.expectedMs(work?.maxTokens);
  }

  /** The time to plan for (typical plus twice its deviation), the model's (for the task) or else the engine's. */
  #budgetMs(work: EngineWork | undefined): number | undefined {
    return (work && this.#modelTime(work)?.budgetMs(work.maxTokens)) ?? this.#engineTime.budgetMs(work?.maxTokens);
  }

  /** The model's times for the work's task once trusted, else its times over every task. */
  #modelTime(work: EngineWork): ServiceTime | undefined {
    const times = this.#models.get(work.model);
    if (!times) return undefined;
    const forTask = work.task === undefined ? undefined : times.byTask.get(work.task);
    return forTask && forTask.samples >= SERVICE_TIME_MIN_SAMPLES ? forTask : times.all;
  }

  #placement(work: EngineWork | undefined): FairPlacement {
    const flow = work?.tenant || DEFAULT_TENANT;
    return { flow, weight: Math.max(1e-6, this.#weightOf(flow)), priority: work?.priority ?? 0, cost: this.#serviceMs(work) ?? 1 };
  }

  #modelTimes(model: string): ModelTimes {
    let times = this.#models.get(model);
    if (!times) this.#models.set(model, (times = { all: new ServiceTime(this.#smoothing), byTask: new Map() }));
    return times;
  }

  #taskTime(times: ModelTimes, task: string): ServiceTime {
    let time = times.byTask.get(task);
    if (!time) times.byTask.set(task, (time = new ServiceTime(this.#smoothing)));
    return time;
  }
}

/** Restores the min-heap order of `heap` after its root grew. */
function siftDown(heap: number[]): void {
  const n = heap.length;
  const value = heap[0]!;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= value) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = value;
}


