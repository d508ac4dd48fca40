import {
  Code,
  PoolError,
  type CandidateRecord,
  type CandidateStatusName,
  type EnsemblePlan,
  type Provider,
  type ProviderResult,
} from "@llm-pool/core";
import { parseOnlyValidator, type OutputValidator } from "./output-validator.js";

/** The settled result of one engine call. */
export interface CallResult {
  readonly record: CandidateRecord;
  /** The engine's answer when the call returned one (valid or not). */
  readonly result?: ProviderResult;
}

/**
 * CandidateCall is one engine call of a plan with its own abort handle, so a
 * strategy can cancel losers while the winner's call completes. It never
 * rejects: failures become a record with a status and a reason.
 */
export class CandidateCall {
  readonly id: string;
  readonly provider: Provider;
  readonly hedged: boolean;
  readonly settled: Promise<CallResult>;
  readonly #controller = new AbortController();
  #cancelled = false;

  constructor(plan: EnsemblePlan, index: number, hedged: boolean, validator: OutputValidator = parseOnlyValidator) {
    this.id = `c${index + 1}`;
    this.provider = plan.providers[index]!;
    this.hedged = hedged;
    const signal = AbortSignal.any([plan.deadline.signal, this.#controller.signal]);
    this.settled = this.provider.infer(plan.request, signal).then(
      (result) => {
        const verdict = validator.check(result.text, plan.request.output);
        return verdict.ok
          ? { record: this.#record(plan, "ok", undefined, result), result }
          : { record: this.#record(plan, "invalid", verdict.reason, result), result };
      },
      (reason: unknown) => ({ record: this.#record(plan, this.#statusOf(reason, plan), messageOf(reason)) }),
    );
  }

  /** Cancels the call because another candidate already won. */
  cancel(): void {
    this.#cancelled = true;
    this.#controller.abort(new PoolError(Code.Canceled, "another candidate won"));
  }

  #statusOf(reason: unknown, plan: EnsemblePlan): CandidateStatusName {
    if (this.#cancelled) return "cancelled";
    if (plan.deadline.signal.aborted) return "timeout";
    if (reason instanceof PoolError && reason.code === Code.DeadlineExceeded) return "timeout";
    // The engine queue refused the call: the wait alone would have missed the deadline.
    if (isSaturated(reason)) return "saturated";
    return "error";
  }

  #record(plan: EnsemblePlan, status: CandidateStatusName, error?: string, result?: ProviderResult): CandidateRecord {
    return {
      id: this.id,
      provider: this.provider.name,
      model: result?.model || this.provider.model,
      latencyMs: Math.max(0, plan.clock.now() - plan.startedAt),
      status,
      score: status === "ok" ? 1 : 0,
      hedged: this.hedged,
      ...(error === undefined ? {} : { error: error.slice(0, 256) }),
      ...(result === undefined ? {} : { usage: result.usage }),
    };
  }
}

function isSaturated(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as { kind?: unknown }).kind === "saturated";
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
