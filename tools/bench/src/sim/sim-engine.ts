import type { Clock } from "@llm-pool/core";

export interface SimEngineSpec {
  readonly name: string;
  /** Calls served at once; the rest wait in arrival order (OLLAMA_NUM_PARALLEL). */
  readonly slots: number;
  /**
   * How much generations of different models slow each other: a generation
   * runs at 1 / (1 + sum of the contention of every other generation) of full
   * speed. 0 is free parallelism, 1 is one processor shared evenly; two models
   * decoding at once on one Mac mini compete for memory bandwidth, close to 1.
   */
  readonly contention: number;
  /** The same for two generations of the same model, which the engine batches (cheaper). */
  readonly batchContention: number;
}

/** One call as the engine sees it, with its random draws already made. */
export interface SimCall {
  readonly model: string;
  /** Paid when the model is not loaded; the call waits for the load outside the slots, as Ollama's scheduler does. */
  readonly coldLoadMs: number;
  /** Generation time at full speed. */
  readonly workMs: number;
  /** An unannounced stall (holding a slot, no compute) before generating: a hiccup the pool cannot see. */
  readonly stallMs: number;
  /** hang: no answer until cancelled, holding no slot (as the mock engine); error: fails after 20 ms. */
  readonly fault?: "hang" | "error";
}

export type SimOutcome = "ok" | "error";

type Phase = "loading" | "queued" | "stalled" | "generating" | "done";

interface Job {
  readonly call: SimCall;
  readonly onDone: (outcome: SimOutcome) => void;
  phase: Phase;
  /** Work left at full speed, while generating. */
  remaining: number;
  /** Fraction of full speed since the last change on the engine. */
  speed: number;
  cancelTimer: () => void;
}

interface ModelState {
  resident: boolean;
  loading: boolean;
  waiters: Set<Job>;
  inUse: number;
}

const ERROR_AFTER_MS = 20;

/**
 * SimEngine is one engine (an Ollama on one Mac mini) in the simulator:
 * slots with a FIFO queue, models that must be loaded before use and can be
 * evicted, and generations that share the machine's compute.
 */
export class SimEngine {
  readonly spec: SimEngineSpec;
  readonly #clock: Clock;
  readonly #queue: Job[] = [];
  readonly #active = new Set<Job>();
  readonly #generating = new Set<Job>();
  readonly #models = new Map<string, ModelState>();
  #progressAt = 0;
  #peakGenerating = 0;

  constructor(spec: SimEngineSpec, clock: Clock, models: readonly string[]) {
    this.spec = spec;
    this.#clock = clock;
    for (const model of models) this.#models.set(model, { resident: true, loading: false, waiters: new Set(), inUse: 0 });
  }

  /** Starts a call; `onDone` runs once unless the returned cancel runs first. */
  submit(call: SimCall, onDone: (outcome: SimOutcome) => void): () => void {
    if (call.fault === "hang") return () => {};
    if (call.fault === "error") return this.#clock.setTimer(ERROR_AFTER_MS, () => onDone("error"));
    const job: Job = { call, onDone, phase: "loading", remaining: 0, speed: 1, cancelTimer: () => {} };
    this.#model(call.model).inUse++;
    this.#load(job);
    return () => this.#cancel(job);
  }

  hasFreeSlot(): boolean {
    return this.#active.size < this.spec.slots && this.#queue.length === 0;
  }

  isQueued(): boolean {
    return this.#queue.length > 0;
  }

  isResident(model: string): boolean {
    const state = this.#model(model);
    return state.resident && !state.loading;
  }

  /** The engine drops an idle model (memory pressure); its next call pays the cold load. */
  evict(model: string): void {
    const state = this.#model(model);
    if (state.inUse === 0 && !state.loading) state.resident = false;
  }

  get peakGenerating(): number {
    return this.#peakGenerating;
  }

  /** A cold model is loaded first; every call for it waits for that one load. */
  #load(job: Job): void {
    const model = this.#model(job.call.model);
    if (model.resident && !model.loading) return this.#enqueue(job);
    model.waiters.add(job);
    if (model.loading) return;
    model.loading = true;
    this.#clock.setTimer(job.call.coldLoadMs, () => {
      model.loading = false;
      model.resident = true;
      const waiters = [...model.waiters];
      model.waiters.clear();
      for (const waiter of waiters) this.#enqueue(waiter);
    });
  }

  #enqueue(job: Job): void {
    job.phase = "queued";
    this.#queue.push(job);
    this.#admit();
  }

  #admit(): void {
    while (this.#active.size < this.spec.slots && this.#queue.length > 0) {
      const job = this.#queue.shift()!;
      this.#active.add(job);
      this.#start(job);
    }
  }

  #start(job: Job): void {
    if (job.call.stallMs <= 0) return this.#generate(job);
    job.phase = "stalled";
    job.cancelTimer = this.#clock.setTimer(job.call.stallMs, () => this.#generate(job));
  }

  #generate(job: Job): void {
    this.#reshare(() => {
      job.phase = "generating";
      job.remaining = job.call.workMs;
      this.#generating.add(job);
      this.#peakGenerating = Math.max(this.#peakGenerating, this.#generating.size);
    });
  }

  #finish(job: Job): void {
    this.#reshare(() => this.#generating.delete(job));
    job.phase = "done";
    this.#release(job);
    job.onDone("ok");
  }

  #cancel(job: Job): void {
    switch (job.phase) {
      case "done":
        return;
      case "loading":
        this.#model(job.call.model).waiters.delete(job);
        this.#model(job.call.model).inUse--;
        job.phase = "done";
        return;
      case "queued":
        this.#queue.splice(this.#queue.indexOf(job), 1);
        this.#model(job.call.model).inUse--;
        job.phase = "done";
        return;
      case "stalled":
        job.cancelTimer();
        break;
      case "generating":
        job.cancelTimer();
        this.#reshare(() => this.#generating.delete(job));
        break;
    }
    job.phase = "done";
    this.#release(job);
  }

  #release(job: Job): void {
    this.#active.delete(job);
    this.#model(job.call.model).inUse--;
    this.#admit();
  }

  /**
   * Changes the set of generating jobs: progress so far is booked at the old
   * speed, then every generation's end is rescheduled at the new speed.
   */
  #reshare(change: () => void): void {
    const now = this.#clock.now();
    for (const job of this.#generating) job.remaining = Math.max(0, job.remaining - (now - this.#progressAt) * job.speed);
    this.#progressAt = now;
    change();
    for (const job of this.#generating) {
      job.speed = this.#speedOf(job);
      job.cancelTimer();
      job.cancelTimer = this.#clock.setTimer(job.remaining / job.speed, () => this.#finish(job));
    }
  }

  #speedOf(job: Job): number {
    let load = 0;
    for (const other of this.#generating) {
      if (other === job) continue;
      load += other.call.model === job.call.model ? this.spec.batchContention : this.spec.contention;
    }
    return 1 / (1 + load);
  }

  #model(name: string): ModelState {
    const state = this.#models.get(name);
    if (!state) throw new Error(`engine ${this.spec.name} does not serve ${name}`);
    return state;
  }
}
