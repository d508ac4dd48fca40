import {
  checkOutput,
  Code,
  linkedAbort,
  PoolError,
  type CallEnd,
  type LinkedAbort,
  type CandidateRecord,
  type CandidateStatusName,
  type EnsemblePlan,
  type OutputSpec,
  type Provider,
  type ProviderResult,
} from "@llm-pool/core";
import { settleTicket, type BreakerBoard } from "@llm-pool/qos";
import { admissionRefusalOf } from "./admission.js";
import { observeCall } from "./observed-call.js";
import { parseOnlyValidator, type OutputValidator } from "./output-validator.js";

export interface CallOptions {
  /** Started beside a call still running (a hedge). */
  readonly hedged?: boolean;
  readonly validator?: OutputValidator;
  /** Circuit breakers per (provider, task); an open one skips the call (R-QOS-1). */
  readonly breakers?: BreakerBoard;
  /**
   * Streams the call (R-API-6): each piece of text goes here as the engine writes it. A provider
   * that cannot stream answers whole, and nothing comes here: its result is its only piece.
   */
  readonly onText?: (text: string) => void;
  /**
   * Skip the call only when its engine could not answer in time even at the model's typical
   * speed, instead of at its planned time (typical plus its spread): for a call the decision
   * cannot do without, where a skip costs the decision for sure and a late answer only the slot.
   */
  readonly needed?: boolean;
  /**
   * False when no other call of the plan can win over this one, so nothing but the plan's deadline ends it
   * (FASTEST with one provider): it runs on the deadline's signal, without an abort handle of its own, and
   * `cancel` does nothing. Default true.
   */
  readonly cancellable?: boolean;
}

/** The settled result of one engine call. */
export interface CallResult {
  readonly record: CandidateRecord;
  /** The engine's answer when the call returned one (valid or not). */
  readonly result?: ProviderResult;
  /** How the call ended, as the breaker counted it (R-QOS-4). */
  readonly end: CallEnd;
  /** For a call refused as saturated: when a call like it could be admitted again. */
  readonly retryAfterMs?: number;
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
  /** Clock ms when the call started (its own latency counts from here). */
  readonly startedAt: number;
  readonly settled: Promise<CallResult>;
  /** Its own abort handle under the plan's deadline; none when the breaker skipped the call. */
  #abort: LinkedAbort | undefined;
  #cancelled = false;

  constructor(plan: EnsemblePlan, index: number, options: CallOptions = {}) {
    this.id = `c${index + 1}`;
    this.provider = plan.providers[index]!;
    this.hedged = options.hedged ?? false;
    this.startedAt = plan.clock.now();
    const validator = options.validator ?? parseOnlyValidator;
    const refusal = admissionRefusalOf(this.provider, plan, options.needed ?? false);
    if (refusal) {
      this.settled = Promise.resolve({ record: this.#record(plan, "saturated", refusal.message), end: "overload", retryAfterMs: refusal.retryAfterMs });
      this.#noteEnd(options.breakers, plan);
      return;
    }
    const ticket = options.breakers?.permit(this.provider.name, plan.task);
    if (options.breakers && !ticket) {
      this.settled = Promise.resolve({ record: this.#record(plan, "breaker_open", breakerReason(options.breakers, this.provider.name, plan)), end: "overload" });
      this.#noteEnd(options.breakers, plan);
      return;
    }
    const abort = options.cancellable === false ? undefined : (this.#abort = linkedAbort(plan.deadline.signal));
    const signal = abort?.signal ?? plan.deadline.signal;
    const onText = options.onText;
    const call = onText && this.provider.inferStream ? this.provider.inferStream(plan.request, signal, onText) : this.provider.infer(plan.request, signal);
    const settled: Promise<CallResult> = call.then(
      (result): CallResult => {
        const verdict = validator.check(result.text, plan.request.output);
        return verdict.ok
          ? { record: this.#record(plan, "ok", undefined, result), result, end: "ok" }
          : { record: this.#record(plan, "invalid", verdict.reason, result), result, end: invalidAnswerEnd(result, plan.request.output) };
      },
      (reason: unknown): CallResult => ({
        record: this.#record(plan, this.#statusOf(reason, plan), messageOf(reason)),
        end: this.#endOf(reason, plan),
        ...retryAfterOf(reason),
      }),
    );
    if (abort) void settled.then(abort.unlink);
    this.settled = ticket ? settled.then((r) => (settleTicket(ticket, r.end), r)) : settled;
    observeCall(plan, this.provider, this.hedged ? "hedge" : "candidate", this.settled);
    this.#noteEnd(options.breakers, plan);
  }

  /** Every call's end goes to the board's listeners (llmpool_call_end_total), counted by the breaker or not. */
  #noteEnd(breakers: BreakerBoard | undefined, plan: EnsemblePlan): void {
    if (breakers) void this.settled.then((r) => breakers.noteEnd(this.provider.name, plan.task, r.end));
  }

  /** Cancels the call because another candidate already won. */
  cancel(): void {
    if (!this.#abort) return;
    this.#cancelled = true;
    this.#abort.controller.abort(new PoolError(Code.Canceled, "another candidate won"));
  }

  #statusOf(reason: unknown, plan: EnsemblePlan): CandidateStatusName {
    if (this.#cancelled) return "cancelled";
    if (plan.deadline.signal.aborted) return "timeout";
    if (reason instanceof PoolError && reason.code === Code.DeadlineExceeded) return "timeout";
    // The engine queue refused the call: the wait alone would have missed the deadline.
    if (isSaturated(reason)) return "saturated";
    return "error";
  }

  /**
   * The provider's own classification when it gives one (the pool's providers
   * always do); a cancel of ours or a deadline is the caller's; any other
   * failure of an unclassifying provider is the engine's.
   */
  #endOf(reason: unknown, plan: EnsemblePlan): CallEnd {
    if (this.#cancelled) return "caller_gave_up";
    const classified = callEndOf(reason);
    if (classified) return classified;
    if (plan.deadline.signal.aborted) return "caller_gave_up";
    if (reason instanceof PoolError && (reason.code === Code.DeadlineExceeded || reason.code === Code.Canceled)) return "caller_gave_up";
    return "engine_fault";
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

/**
 * An answer that failed validation is the engine's fault, unless the caller
 * chose what it failed (R-QOS-4): it was cut at the caller's max_tokens, or it
 * is JSON that fails the client's own schema (issue: a schema nothing
 * satisfies must not open a breaker every tenant shares).
 */
function invalidAnswerEnd(result: ProviderResult, output: OutputSpec): CallEnd {
  if (result.finishReason === "length") return "caller_rejected";
  const clientSchema = output.kind === "json_schema" && output.source === "client";
  return clientSchema && checkOutput(result.text, { kind: "json" }).ok ? "caller_rejected" : "engine_fault";
}

/** "circuit breaker open; next probe in 4 s", or the half-open case, for the error that says why a provider was skipped. */
function breakerReason(breakers: BreakerBoard, provider: string, plan: EnsemblePlan): string {
  const entry = breakers.entry(provider, plan.task);
  if (entry?.state === "half_open") return "circuit breaker half-open; its probe is in flight";
  if (!entry?.halfOpensAt) return "circuit breaker open";
  return `circuit breaker open; next probe in ${Math.max(1, Math.ceil((entry.halfOpensAt - plan.clock.now()) / 1000))} s`;
}

function retryAfterOf(reason: unknown): { retryAfterMs?: number } {
  const ms = isSaturated(reason) ? (reason as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof ms === "number" ? { retryAfterMs: ms } : {};
}

function callEndOf(reason: unknown): CallEnd | undefined {
  const end = typeof reason === "object" && reason !== null ? (reason as { callEnd?: unknown }).callEnd : undefined;
  return typeof end === "string" ? (end as CallEnd) : undefined;
}

function isSaturated(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as { kind?: unknown }).kind === "saturated";
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
