import { Code, PoolError, type CandidateRecord, type EnsembleOutcome, type EnsemblePlan } from "@llm-pool/core";
import type { BreakerBoard, HedgeBudget } from "@llm-pool/qos";
import { CandidateCall, type CallResult } from "./candidate-call.js";
import { parseOnlyValidator, type OutputValidator } from "./output-validator.js";
import type { Strategy } from "./strategy.js";

/** What FASTEST shares across queries; every field is optional. */
export interface FastestDeps {
  readonly validator?: OutputValidator;
  /** Circuit breakers: an open provider is skipped (R-QOS-1). */
  readonly breakers?: BreakerBoard;
  /** The hedge budget: hedges never exceed a share of primary calls, so a saturated box is not doubled. */
  readonly budget?: HedgeBudget;
}

/**
 * FASTEST (R-ENS-1): start the first provider; start the next one after
 * `hedgeAfterMs` without an answer, or at once when a call fails or returns
 * an invalid answer. The first valid answer wins and every other call is
 * cancelled, which closes its upstream request.
 *
 * Hedges are paid from the budget and engine-aware: never onto a provider
 * whose engine has no free slot (two generations on one small machine only
 * make both late), and at once onto a free provider when the primary's
 * engine is already busy (the primary would queue).
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

  /** Whether a call to provider `i` would start at once (unknown counts as free). */
  #free(i: number): boolean {
    const provider = this.#plan.providers[i]!;
    const open = this.#deps.breakers?.state(provider.name, this.#plan.task) === "open";
    return !open && provider.hasFreeSlot?.() !== false;
  }

  /** Starts the next provider in order at once: the first call, or the replacement of a failed one. */
  #failover(): void {
    this.#cancelHedgeTimer();
    const next = this.#waiting()[0];
    if (this.#done || next === undefined) return;
    // Busy before we start it: the call would queue behind other work.
    const queued = this.#plan.providers[next]!.hasFreeSlot?.() === false;
    this.#start(next);
    if (queued) this.#hedge();
    else this.#scheduleHedge();
  }

  #scheduleHedge(): void {
    this.#cancelHedgeTimer();
    if (this.#done || this.#waiting().length === 0) return;
    this.#cancelHedgeTimer = this.#plan.clock.setTimer(this.#plan.hedgeAfterMs, () => this.#hedge());
  }

  /** Starts a hedge beside the calls in flight, onto a free provider, if the budget allows. */
  #hedge(): void {
    if (this.#done) return;
    const target = this.#waiting().find((i) => this.#free(i));
    if (target === undefined) return; // every other engine is busy: wait for an answer or a failure
    if (this.#deps.budget && !this.#deps.budget.tryAcquire()) return;
    this.#start(target);
    this.#scheduleHedge();
  }

  #start(index: number): void {
    const hedged = this.#inFlight > 0;
    if (hedged) this.#hedges++;
    const call = new CandidateCall(this.#plan, index, {
      hedged,
      validator: this.#validator,
      ...(this.#deps.breakers ? { breakers: this.#deps.breakers } : {}),
    });
    this.#calls.set(index, call);
    this.#inFlight++;
    void call.settled.then((settled) => this.#onSettled(call, settled));
  }

  #onSettled(call: CandidateCall, settled: CallResult): void {
    this.#inFlight--;
    this.#records.set(call.id, settled.record);
    if (this.#done) return;
    if (settled.record.status === "ok" && settled.result) {
      this.#win(call, settled.result.text);
      return;
    }
    if (this.#waiting().length > 0) {
      this.#failover();
    } else if (this.#inFlight === 0) {
      this.#fail(
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
