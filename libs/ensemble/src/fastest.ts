import { Code, PoolError, type CandidateRecord, type CallForecast, type EnsembleOutcome, type EnsemblePlan, type Provider } from "@llm-pool/core";
import { hedgePlan, primaryStall, rescueAfterMs, type BreakerBoard, type HedgeBudget, type HedgeMoment, type HedgeView, type LatencyTracker } from "@llm-pool/qos";
import { CandidateCall, type CallResult } from "./candidate-call.js";
import { parseOnlyValidator, type OutputValidator } from "./output-validator.js";
import { refusalOf } from "./overload-error.js";
import { settingsOf } from "./settings.js";
import type { Strategy } from "./strategy.js";

/** What FASTEST shares across queries; every field is optional. */
export interface FastestDeps {
  readonly validator?: OutputValidator;
  /** Circuit breakers: an open provider is skipped (R-QOS-1). */
  readonly breakers?: BreakerBoard;
  /** The hedge budget: hedges never exceed a share of primary calls, so a saturated box is not doubled. */
  readonly budget?: HedgeBudget;
  /** Recent latencies per (provider, task), for adaptive hedging (`hedge_mode = "adaptive"`). */
  readonly latency?: LatencyTracker;
}

/** Adaptive hedging waits for this many answers of the primary before trusting its percentile. */
const ADAPTIVE_MIN_SAMPLES = 20;

/**
 * FASTEST (R-ENS-1): start the first provider; start the next one after
 * `hedgeAfterMs` without an answer, or at once when a call fails or returns
 * an invalid answer. The first valid answer wins and every other call is
 * cancelled, which closes its upstream request.
 *
 * It plans with each engine's forecast (R-QOS-5): the primary is the first
 * provider, in config order, that can start at once and finish in time; when
 * none can start at once, the one expected to finish first. A provider that
 * cannot answer before the deadline is skipped without a call; when every one
 * is, the query is refused at once as RESOURCE_EXHAUSTED with Retry-After.
 *
 * Whether, when and onto whom to hedge is `hedgePlan`'s call (libs/qos):
 * at once onto a free, warm provider when the primary would queue or pay a
 * model load; after the delay onto a free, warm provider of another engine;
 * and when the primary has outlived its expected time by far
 * (`rescueAfterMs`), onto any free provider that fits, cold or on the same
 * engine. Never onto a full engine or a provider that cannot finish in time.
 * Hedges are paid from the budget. With `hedge_mode = "adaptive"` the hedge
 * waits for the primary's observed latency percentile for the task instead
 * of the fixed `hedge_after_ms`.
 *
 * Streamed (R-API-6: the plan has a stream), the race is on the first token:
 * the first call to write text that is not only whitespace wins, every other
 * call is cancelled, no hedge starts after it, and its text goes to the
 * stream as it comes. Text sent cannot be taken back, so from then on that
 * call is the answer or the query fails: if it breaks off or its output is
 * invalid (JSON that does not parse or match its schema) the query fails
 * UNAVAILABLE instead of falling over to another provider.
 */
export const fastest: Strategy = createFastest();

/** FASTEST with its shared parts (the registry passes the schema validator, breakers and budget). */
export function createFastest(deps: FastestDeps | OutputValidator = {}): Strategy {
  const resolved: FastestDeps = "check" in deps ? { validator: deps } : deps;
  return {
    name: "FASTEST",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return new FastestRun(plan, resolved).result;
    },
  };
}

class FastestRun {
  readonly result: Promise<EnsembleOutcome>;
  readonly #plan: EnsemblePlan;
  readonly #deps: FastestDeps;
  readonly #validator: OutputValidator;
  /** Started calls by provider index; a busy provider may be passed over by a hedge. */
  readonly #calls = new Map<number, CandidateCall>();
  readonly #records = new Map<string, CandidateRecord>();
  /** The call a streaming client is reading: the first to write a token; no other can win any more. */
  #streaming: CandidateCall | undefined;
  /** Whitespace calls wrote before any of them streamed; it decides nothing and goes out with the rest. */
  #unsent: Map<CandidateCall, string> | undefined;
  readonly #retryAfterMs: number[] = [];
  #inFlight = 0;
  #hedges = 0;
  #done = false;
  #cancelHedgeTimer: () => void = () => {};
  #resolve!: (outcome: EnsembleOutcome) => void;
  #reject!: (error: PoolError) => void;

  constructor(plan: EnsemblePlan, deps: FastestDeps) {
    this.#plan = plan;
    this.#deps = deps;
    this.#validator = deps.validator ?? parseOnlyValidator;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (plan.providers.length === 0) {
      this.#fail(new PoolError(Code.Unavailable, `no provider is available for task ${plan.task}`));
      return;
    }
    plan.deadline.signal.addEventListener("abort", () => this.#onDeadline(), { once: true });
    deps.budget?.recordPrimary();
    this.#failover();
  }

  /** Providers not started yet, in hedge order. */
  #waiting(): number[] {
    return this.#plan.providers.map((_, i) => i).filter((i) => !this.#calls.has(i));
  }

  #provider(i: number): Provider {
    return this.#plan.providers[i]!;
  }

  #forecast(i: number): CallForecast | undefined {
    return this.#provider(i).forecast?.(this.#plan.request);
  }

  /** Whether a call to provider `i` started now is expected to answer before the deadline (unknown counts as yes). */
  #fits(i: number): boolean {
    const forecast = this.#forecast(i);
    return !forecast || this.#plan.clock.now() + forecast.waitMs + forecast.serviceMs <= this.#plan.deadline.at;
  }

  /** The engines as the hedge planner sees them, by provider index; what a provider does not say counts as yes. */
  readonly #view: HedgeView<IndexedProvider> = {
    hasFreeSlot: (p) => p.provider.hasFreeSlot?.() !== false,
    isResident: (p) => residency(p.provider) !== false,
    fits: (p) => this.#fits(p.index),
  };

  #indexed(i: number): IndexedProvider {
    const provider = this.#provider(i);
    return { index: i, name: provider.name, engine: provider.engine, provider };
  }

  /**
   * The next primary: the first provider in order that can start at once and
   * finish in time; else the one expected to finish first; else (nothing
   * known) the next in order. One that cannot fit is still "started": its
   * call is refused at once as saturated and recorded.
   */
  #nextPrimary(): number | undefined {
    const waiting = this.#waiting();
    const ready = waiting.find((i) => this.#provider(i).hasFreeSlot?.() !== false && this.#fits(i));
    if (ready !== undefined) return ready;
    let best: { index: number; finish: number } | undefined;
    for (const i of waiting) {
      const forecast = this.#forecast(i);
      if (!forecast || !this.#fits(i)) continue;
      const finish = forecast.waitMs + forecast.serviceMs;
      if (!best || finish < best.finish) best = { index: i, finish };
    }
    return best?.index ?? waiting[0];
  }

  /** Starts the next primary at once: the first call, or the replacement of a failed one. */
  #failover(): void {
    this.#cancelHedgeTimer();
    const next = this.#nextPrimary();
    if (this.#done || next === undefined) return;
    // Busy or cold before we start it: the call would queue, or pay a model load.
    const stall = primaryStall(this.#view, this.#indexed(next));
    this.#start(next);
    this.#hedge(next, { kind: "start", stall });
    this.#scheduleHedge(next);
  }

  /**
   * Hedges after the delay onto another engine; then, if the primary is still
   * silent at OUTLIVED_FACTOR times its expected time, rescues it onto any
   * free provider that fits.
   */
  #scheduleHedge(primary: number): void {
    this.#cancelHedgeTimer();
    if (this.#done || this.#streaming || this.#waiting().length === 0) return;
    const startedAt = this.#plan.clock.now();
    const delay = this.#hedgeDelay(this.#provider(primary).name);
    const rescueAfter = rescueAfterMs(delay, this.#forecast(primary)?.serviceMs ?? delay);
    this.#cancelHedgeTimer = this.#plan.clock.setTimer(delay, () => {
      if (this.#hedge(primary, { kind: "delay" })) return;
      this.#cancelHedgeTimer = this.#plan.clock.setTimer(startedAt + rescueAfter - this.#plan.clock.now(), () =>
        this.#hedge(primary, { kind: "rescue" }),
      );
    });
  }

  /** `hedge_after_ms`, or in adaptive mode the primary's observed percentile (clamped around it). */
  #hedgeDelay(primary: string): number {
    const fixed = this.#plan.hedgeAfterMs;
    const settings = settingsOf(this.#plan);
    if (settings.hedgeMode !== "adaptive" || !this.#deps.latency) return fixed;
    return this.#deps.latency.hedgeDelay(primary, this.#plan.task, {
      fallbackMs: fixed,
      percentile: settings.hedgePercentile,
      minSamples: ADAPTIVE_MIN_SAMPLES,
      minMs: Math.min(100, fixed),
      maxMs: Math.max(fixed * 3, 100),
    });
  }

  /**
   * Starts a hedge beside `primary` where `hedgePlan` says, if the budget
   * allows; providers whose breaker is open are not offered. Returns whether
   * one started.
   */
  #hedge(primary: number, moment: HedgeMoment): boolean {
    if (this.#done || this.#streaming) return false;
    const { task } = this.#plan;
    const candidates = this.#waiting()
      .filter((i) => this.#deps.breakers?.state(this.#provider(i).name, task) !== "open")
      .map((i) => this.#indexed(i));
    const { target } = hedgePlan({ primary: this.#indexed(primary), moment, candidates, view: this.#view });
    if (target === undefined) return false; // nothing can help without adding load: wait for an answer or a failure
    if (this.#deps.budget && !this.#deps.budget.tryAcquire()) return false;
    this.#start(target.index);
    this.#scheduleHedge(target.index);
    return true;
  }

  #start(index: number): void {
    const hedged = this.#inFlight > 0;
    if (hedged) this.#hedges++;
    const streamed = this.#plan.stream !== undefined;
    const call: CandidateCall = new CandidateCall(this.#plan, index, {
      hedged,
      // With one provider no other call can win, so only the deadline ends this one.
      cancellable: this.#plan.providers.length > 1,
      validator: this.#validator,
      ...(this.#deps.breakers ? { breakers: this.#deps.breakers } : {}),
      ...(streamed ? { onText: (text: string) => this.#onText(call, text) } : {}),
    });
    this.#calls.set(index, call);
    this.#inFlight++;
    void call.settled.then((settled) => this.#onSettled(call, settled));
  }

  /** A piece of a streamed call's text: the first that is not only whitespace wins the race (R-API-6). */
  #onText(call: CandidateCall, text: string): void {
    if (this.#done) return;
    if (this.#streaming) {
      // Pieces of a call cancelled a moment ago are dropped.
      if (call === this.#streaming) this.#plan.stream!.text(call.provider.name, text);
      return;
    }
    this.#unsent ??= new Map();
    const unsent = (this.#unsent.get(call) ?? "") + text;
    this.#unsent.set(call, unsent);
    if (unsent.trim() === "") return;
    this.#streaming = call;
    this.#unsent.clear();
    this.#cancelHedgeTimer();
    for (const other of this.#calls.values()) if (other !== call && !this.#records.has(other.id)) other.cancel();
    this.#plan.stream!.text(call.provider.name, unsent);
  }

  #onSettled(call: CandidateCall, settled: CallResult): void {
    this.#inFlight--;
    this.#records.set(call.id, settled.record);
    if (settled.retryAfterMs !== undefined) this.#retryAfterMs.push(settled.retryAfterMs);
    if (this.#done) return;
    // Another call is streaming: this one was cancelled for it.
    if (this.#streaming && call !== this.#streaming) return;
    if (settled.record.status === "ok" && settled.result) {
      this.#deps.latency?.record(call.provider.name, this.#plan.task, this.#plan.clock.now() - call.startedAt);
      this.#win(call, settled.result.text);
      return;
    }
    if (this.#streaming) {
      const { provider, status, error } = settled.record;
      this.#fail(new PoolError(Code.Unavailable, `${provider} failed after its answer began to stream: ${status}${error ? ` (${error})` : ""}`));
      return;
    }
    if (this.#waiting().length > 0) {
      // A hedge already running covers for the failed call; start a replacement only when none is.
      if (this.#inFlight === 0 || settled.record.status !== "saturated") this.#failover();
    } else if (this.#inFlight === 0) {
      const records = this.#orderedRecords();
      this.#fail(
        refusalOf(this.#plan.task, records, this.#retryAfterMs) ??
          new PoolError(Code.Unavailable, `every provider failed for task ${this.#plan.task}: ${this.#summary()}`),
      );
    }
  }

  #win(winner: CandidateCall, output: string): void {
    this.#done = true;
    this.#cancelHedgeTimer();
    const losers = [...this.#calls.values()].filter((c) => c !== winner && !this.#records.has(c.id));
    for (const loser of losers) loser.cancel();
    // Wait for the cancelled calls to settle so the decision lists them all.
    void Promise.all(losers.map((c) => c.settled)).then((results) => {
      for (const r of results) this.#records.set(r.record.id, r.record);
      this.#resolve({
        strategyApplied: "FASTEST",
        output,
        winnerId: winner.id,
        candidates: this.#orderedRecords(),
        fallbacks: [],
        agreement: 0,
        hedges: this.#hedges,
      });
    });
  }

  #onDeadline(): void {
    if (this.#done) return;
    const reason = this.#plan.deadline.signal.reason;
    this.#fail(reason instanceof PoolError ? reason : new PoolError(Code.DeadlineExceeded, "deadline exceeded"));
  }

  #fail(error: PoolError): void {
    this.#done = true;
    this.#cancelHedgeTimer();
    this.#reject(error);
  }

  /** Records in provider order, whatever order the calls started or finished in. */
  #orderedRecords(): CandidateRecord[] {
    return [...this.#calls.keys()]
      .sort((a, b) => a - b)
      .map((i) => this.#records.get(this.#calls.get(i)!.id))
      .filter((r): r is CandidateRecord => r !== undefined);
  }

  #summary(): string {
    return this.#orderedRecords()
      .map((r) => `${r.provider}: ${r.status}${r.error ? ` (${r.error})` : ""}`)
      .join("; ");
  }
}

/** A provider of the plan as the hedge planner sees it, with its place in the plan. */
interface IndexedProvider {
  readonly index: number;
  readonly name: string;
  readonly engine: string;
  readonly provider: Provider;
}

/** The engine's own word on whether the provider's model is loaded; undefined when it does not say. */
function residency(provider: Provider): boolean | undefined {
  return (provider as Provider & { isResident?: () => boolean | undefined }).isResident?.();
}
