import type { Clock } from "@llm-pool/core";
import { hedgePlan, type BreakerBoard, type BreakerTicket, type HedgeBudget, type HedgePlan, type LatencyTracker } from "@llm-pool/qos";
import type { HedgeMode } from "./hedge-mode.js";

export interface RaceProvider {
  readonly name: string;
  readonly engine: string;
}

export type CallOutcome = "ok" | "error" | "invalid";

/** How a race reaches engines: the simulator's engines or real HTTP. */
export interface RaceUpstream {
  /** Starts one call; `onDone` runs once, unless the returned cancel runs first. */
  start(provider: RaceProvider, onDone: (outcome: CallOutcome) => void): () => void;
}

/** What the pool knows about its engines right now. */
export interface EngineView {
  engineHasFreeSlot(engine: string): boolean;
  isResident(provider: string): boolean;
  isQueued(engine: string): boolean;
}

/** Shared by every race of a run. */
export interface RaceContext {
  readonly clock: Clock;
  readonly mode: HedgeMode;
  readonly task: string;
  /** Hedge order. */
  readonly providers: readonly RaceProvider[];
  readonly deadlineMs: number;
  readonly engines: EngineView;
  readonly board: BreakerBoard;
  readonly budget?: HedgeBudget;
  readonly tracker: LatencyTracker;
}

export interface RaceResult {
  readonly status: "ok" | "timeout" | "unavailable";
  readonly latencyMs: number;
  /** Upstream calls started. */
  readonly calls: number;
  /** Speculative calls started by the hedge delay or plan (a failover after an error is not a hedge). */
  readonly hedges: number;
  /** Providers skipped because their breaker was open. */
  readonly skipped: number;
  readonly winner?: string;
}

interface Call {
  readonly provider: RaceProvider;
  readonly ticket: BreakerTicket | undefined;
  readonly startedAt: number;
  cancel: () => void;
  settled: boolean;
}

const ALWAYS = { canHedge: () => true };

/**
 * One FASTEST query with the qos pieces wired in, as the ensemble should do
 * it: a breaker permit before every call; a primary, then a hedge after a
 * fixed or adaptive delay (or at once, or never, when engine-aware) paid from
 * the budget; a failover at once after an error; the first valid answer wins
 * and the others are cancelled, which tells their breakers nothing.
 */
export function runRace(ctx: RaceContext, upstream: RaceUpstream, onDone: (result: RaceResult) => void): void {
  new Race(ctx, upstream, onDone).start();
}

class Race {
  readonly #ctx: RaceContext;
  readonly #upstream: RaceUpstream;
  readonly #onDone: (result: RaceResult) => void;
  readonly #calls: Call[] = [];
  readonly #launched = new Set<string>();
  #startedAt = 0;
  #hedges = 0;
  #skipped = 0;
  #done = false;
  #cancelHedgeTimer: () => void = () => {};
  #cancelDeadline: () => void = () => {};

  constructor(ctx: RaceContext, upstream: RaceUpstream, onDone: (result: RaceResult) => void) {
    this.#ctx = ctx;
    this.#upstream = upstream;
    this.#onDone = onDone;
  }

  start(): void {
    const { clock, deadlineMs, budget } = this.#ctx;
    this.#startedAt = clock.now();
    this.#cancelDeadline = clock.setTimer(deadlineMs, () => this.#timeout());
    if (!this.#failover()) return this.#finish("unavailable");
    budget?.recordPrimary();
    this.#scheduleHedge();
  }

  /** Providers not started yet whose breaker is not open, in hedge order. */
  #candidates(): RaceProvider[] {
    const { providers, board, task, mode } = this.#ctx;
    return providers.filter((p) => !this.#launched.has(p.name) && (!mode.breaker || board.state(p.name, task) !== "open"));
  }

  #plan(): HedgePlan<RaceProvider> {
    const { engines, budget } = this.#ctx;
    return hedgePlan({
      primary: this.#calls.at(-1)!.provider,
      candidates: this.#candidates(),
      engineHasFreeSlot: (engine) => engines.engineHasFreeSlot(engine),
      isResident: (provider) => engines.isResident(provider),
      isQueued: (engine) => engines.isQueued(engine),
      budget: budget ?? ALWAYS,
    });
  }

  /** After a call starts: hedge at once when the plan says so, else set the hedge timer. */
  #scheduleHedge(): void {
    const { mode, clock, tracker, task } = this.#ctx;
    if (this.#done || mode.delay.kind === "none" || this.#candidates().length === 0) return;
    if (mode.engineAware) {
      const plan = this.#plan();
      if (plan.startAt === "now" && this.#hedge(plan.target!)) return;
    }
    const primary = this.#calls.at(-1)!.provider;
    const delay = mode.delay;
    const ms = delay.kind === "fixed" ? delay.ms : tracker.hedgeDelay(primary.name, task, delay);
    this.#cancelHedgeTimer = clock.setTimer(ms, () => this.#onHedgeTimer());
  }

  #onHedgeTimer(): void {
    if (this.#done) return;
    if (this.#ctx.mode.engineAware) {
      const plan = this.#plan();
      if (plan.target) this.#hedge(plan.target);
      else if (plan.reason === "budget_exhausted") this.#ctx.budget?.tryAcquire(); // counts the refusal
      return;
    }
    const target = this.#candidates()[0];
    if (target) this.#hedge(target);
  }

  /** Starts `target` beside the calls in flight, if the budget and its breaker allow. */
  #hedge(target: RaceProvider): boolean {
    const { budget, board, task, mode } = this.#ctx;
    if (budget && !budget.canHedge()) {
      budget.tryAcquire(); // counts the refusal
      return false;
    }
    const ticket = mode.breaker ? board.permit(target.name, task) : undefined;
    if (mode.breaker && !ticket) {
      this.#skipped++;
      return false;
    }
    budget?.tryAcquire();
    this.#hedges++;
    this.#launch(target, ticket);
    this.#scheduleHedge();
    return true;
  }

  /** Starts the next provider in order whose breaker permits a call; false when none is left. */
  #failover(): boolean {
    const { board, task, mode } = this.#ctx;
    for (const provider of this.#candidates()) {
      const ticket = mode.breaker ? board.permit(provider.name, task) : undefined;
      if (mode.breaker && !ticket) {
        this.#skipped++;
        this.#launched.add(provider.name);
        continue;
      }
      this.#launch(provider, ticket);
      return true;
    }
    return false;
  }

  #launch(provider: RaceProvider, ticket: BreakerTicket | undefined): void {
    this.#launched.add(provider.name);
    const call: Call = { provider, ticket, startedAt: this.#ctx.clock.now(), cancel: () => {}, settled: false };
    this.#calls.push(call);
    call.cancel = this.#upstream.start(provider, (outcome) => this.#onCallDone(call, outcome));
  }

  #onCallDone(call: Call, outcome: CallOutcome): void {
    if (call.settled || this.#done) return;
    call.settled = true;
    const { clock, tracker, task } = this.#ctx;
    if (outcome === "ok") {
      call.ticket?.success();
      tracker.record(call.provider.name, task, clock.now() - call.startedAt);
      return this.#finish("ok", call);
    }
    call.ticket?.failure();
    // A failed call is replaced at once: that is a failover, not a hedge.
    this.#cancelHedgeTimer();
    if (this.#failover()) this.#scheduleHedge();
    else if (this.#calls.every((c) => c.settled)) this.#finish("unavailable");
  }

  #timeout(): void {
    const { deadlineMs } = this.#ctx;
    for (const call of this.#calls) {
      if (call.settled) continue;
      call.settled = true;
      call.cancel();
      // A provider timed out if it had a fair share of the deadline; a hedge
      // started in the last half never had the time to answer, so its cut
      // proves nothing (else late hedges onto a healthy provider open its breaker).
      if (call.startedAt - this.#startedAt <= deadlineMs / 2) call.ticket?.failure();
      else call.ticket?.cancel();
    }
    this.#finish("timeout");
  }

  #finish(status: RaceResult["status"], winner?: Call): void {
    if (this.#done) return;
    this.#done = true;
    this.#cancelHedgeTimer();
    this.#cancelDeadline();
    for (const call of this.#calls) {
      if (call.settled) continue;
      call.settled = true;
      call.cancel();
      call.ticket?.cancel();
    }
    this.#onDone({
      status,
      latencyMs: this.#ctx.clock.now() - this.#startedAt,
      calls: this.#calls.length,
      hedges: this.#hedges,
      skipped: this.#skipped,
      ...(winner ? { winner: winner.provider.name } : {}),
    });
  }
}
