import { Code, PoolError, type CandidateRecord, type EnsembleOutcome, type EnsemblePlan } from "@llm-pool/core";
import { CandidateCall, type CallResult } from "./candidate-call.js";
import { parseOnlyValidator, type OutputValidator } from "./output-validator.js";
import type { Strategy } from "./strategy.js";

/**
 * FASTEST (R-ENS-1): start the first provider; start the next one after
 * `hedgeAfterMs` without an answer, or at once when a call fails or returns
 * an invalid answer. The first valid answer wins and every other call is
 * cancelled, which closes its upstream request.
 */
export const fastest: Strategy = createFastest();

/** FASTEST whose candidates are checked by `validator` (the registry passes the schema validator). */
export function createFastest(validator: OutputValidator = parseOnlyValidator): Strategy {
  return {
    name: "FASTEST",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return new FastestRun(plan, validator).result;
    },
  };
}

class FastestRun {
  readonly result: Promise<EnsembleOutcome>;
  readonly #plan: EnsemblePlan;
  readonly #validator: OutputValidator;
  readonly #calls: CandidateCall[] = [];
  readonly #records = new Map<string, CandidateRecord>();
  #inFlight = 0;
  #hedges = 0;
  #done = false;
  #cancelHedgeTimer: () => void = () => {};
  #resolve!: (outcome: EnsembleOutcome) => void;
  #reject!: (error: PoolError) => void;

  constructor(plan: EnsemblePlan, validator: OutputValidator) {
    this.#plan = plan;
    this.#validator = validator;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (plan.providers.length === 0) {
      this.#fail(new PoolError(Code.Unavailable, `no provider is available for task ${plan.task}`));
      return;
    }
    plan.deadline.signal.addEventListener("abort", () => this.#onDeadline(), { once: true });
    this.#launchNext();
  }

  #launchNext(): void {
    this.#cancelHedgeTimer();
    const index = this.#calls.length;
    if (this.#done || index >= this.#plan.providers.length) return;
    const hedged = this.#inFlight > 0;
    if (hedged) this.#hedges++;
    const call = new CandidateCall(this.#plan, index, hedged, this.#validator);
    this.#calls.push(call);
    this.#inFlight++;
    void call.settled.then((settled) => this.#onSettled(call, settled));
    if (index + 1 < this.#plan.providers.length) {
      this.#cancelHedgeTimer = this.#plan.clock.setTimer(this.#plan.hedgeAfterMs, () => this.#launchNext());
    }
  }

  #onSettled(call: CandidateCall, settled: CallResult): void {
    this.#inFlight--;
    this.#records.set(call.id, settled.record);
    if (this.#done) return;
    if (settled.record.status === "ok" && settled.result) {
      this.#win(call, settled.result.text);
      return;
    }
    if (this.#calls.length < this.#plan.providers.length) {
      this.#launchNext();
    } else if (this.#inFlight === 0) {
      this.#fail(
        new PoolError(Code.Unavailable, `every provider failed for task ${this.#plan.task}: ${this.#summary()}`),
      );
    }
  }

  #win(winner: CandidateCall, output: string): void {
    this.#done = true;
    this.#cancelHedgeTimer();
    const losers = this.#calls.filter((c) => c !== winner && !this.#records.has(c.id));
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

  #orderedRecords(): CandidateRecord[] {
    return this.#calls.map((c) => this.#records.get(c.id)!).filter(Boolean);
  }

  #summary(): string {
    return this.#orderedRecords()
      .map((r) => `${r.provider}: ${r.status}${r.error ? ` (${r.error})` : ""}`)
      .join("; ");
  }
}
