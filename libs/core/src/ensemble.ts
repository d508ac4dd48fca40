import type { EnsembleObserver } from "./call-observer.js";
import type { Clock } from "./clock.js";
import type { Deadline } from "./deadline.js";
import type { EnsembleSettings } from "./ensemble-settings.js";
import type { StreamProgress } from "./infer-service.js";
import type { Provider, ProviderRequest, Usage } from "./provider.js";
import type { StrategyName, TaskName } from "./task.js";

/** Everything a strategy needs to answer one query. */
export interface EnsemblePlan {
  readonly requestId: string;
  readonly task: TaskName;
  readonly strategy: StrategyName;
  /** Usable providers for the task, in config order (the hedge order). */
  readonly providers: readonly Provider[];
  readonly request: ProviderRequest;
  readonly deadline: Deadline;
  readonly clock: Clock;
  /** When the query arrived (clock ms); candidate latencies count from here. */
  readonly startedAt: number;
  /** FASTEST: start the next provider after this many ms without an answer. */
  readonly hedgeAfterMs: number;
  /** Thresholds, judge and parallelism from the request's config snapshot; missing fields use the ensemble's defaults. */
  readonly ensemble?: Partial<EnsembleSettings>;
  /** Hears each provider call of this plan (metrics, trace spans); set by the ensemble from its deps. */
  readonly observer?: EnsembleObserver;
  /** Present when the client streams (R-API-6): where the strategy reports text and progress as they come. */
  readonly stream?: EnsembleStream;
}

/**
 * What a strategy tells a streaming client while it runs (R-API-6). FASTEST
 * hands over the winning provider's text as it is generated; collecting
 * strategies report each candidate's end and the judge's start, and their
 * answer comes whole once decided. Text handed over must be the answer's
 * output, in order: a strategy never streams text it may not answer with.
 */
export interface EnsembleStream {
  text(provider: string, text: string): void;
  progress(progress: StreamProgress): void;
}

export type CandidateStatusName = "ok" | "error" | "timeout" | "cancelled" | "invalid" | "breaker_open" | "saturated";

/** One engine call of a decision, in the plan's provider order. */
export interface CandidateRecord {
  /** "c1", "c2", ... by provider order, whatever order calls finished in. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /** From the query's start to this call's end. */
  readonly latencyMs: number;
  readonly status: CandidateStatusName;
  readonly score: number;
  readonly error?: string;
  readonly hedged: boolean;
  readonly usage?: Usage;
}

export type FallbackReasonName =
  | "judge_late"
  | "verdict_unparsable"
  | "judge_failed"
  | "no_quorum"
  | "below_threshold"
  | "too_few_candidates"
  | "all_candidates_invalid";

export interface FallbackRecord {
  readonly from: StrategyName;
  readonly to: StrategyName;
  readonly reason: FallbackReasonName;
  readonly detail: string;
}

export interface JudgeRecord {
  readonly provider: string;
  readonly model: string;
  readonly winnerId: string;
  readonly confidence: number;
  readonly reason: string;
  readonly latencyMs: number;
  readonly status: CandidateStatusName;
  /** Tokens the verdict cost; counted in the Answer's total usage. */
  readonly usage?: Usage;
}

/** How a strategy decided, and what won. */
export interface EnsembleOutcome {
  readonly strategyApplied: StrategyName;
  readonly output: string;
  readonly winnerId: string;
  readonly candidates: readonly CandidateRecord[];
  readonly fallbacks: readonly FallbackRecord[];
  readonly judge?: JudgeRecord;
  /** Share of valid candidates in the winning cluster, 0 when not clustering. */
  readonly agreement: number;
  readonly hedges: number;
}

/**
 * Ensemble runs a plan with the plan's strategy. It resolves with an outcome
 * or rejects with a PoolError (Unavailable when no provider could answer,
 * DeadlineExceeded when time ran out).
 */
export interface Ensemble {
  run(plan: EnsemblePlan): Promise<EnsembleOutcome>;
}
