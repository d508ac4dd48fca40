import {
  Code,
  PoolError,
  type CandidateRecord,
  type EnsembleOutcome,
  type EnsemblePlan,
  type FallbackRecord,
  type JudgeRecord,
  type StrategyName,
} from "@llm-pool/core";
import type { Gathered } from "./gather.js";
import { refusalOf } from "./overload-error.js";

export interface OutcomeParts {
  readonly strategyApplied: StrategyName;
  readonly winnerId: string;
  readonly gathered: readonly Gathered[];
  readonly scores: ReadonlyMap<string, number>;
  readonly fallbacks: readonly FallbackRecord[];
  readonly judge?: JudgeRecord | undefined;
  readonly agreement: number;
  readonly hedges: number;
}

/** The outcome of a decision over gathered candidates; records keep provider order. */
export function assembleOutcome(parts: OutcomeParts): EnsembleOutcome {
  const winner = parts.gathered.find((g) => g.record.id === parts.winnerId);
  if (winner?.text === undefined) throw new Error(`winner ${parts.winnerId} has no answer`);
  return {
    strategyApplied: parts.strategyApplied,
    output: winner.text,
    winnerId: parts.winnerId,
    candidates: parts.gathered.map((g) => ({ ...g.record, score: parts.scores.get(g.record.id) ?? 0 })),
    fallbacks: parts.fallbacks,
    ...(parts.judge ? { judge: parts.judge } : {}),
    agreement: parts.agreement,
    hedges: parts.hedges,
  };
}

/** "a: ok; b: error (HTTP 500); c: timeout": every call's status, in provider order. */
export function statusSummary(records: readonly CandidateRecord[]): string {
  return records.map((r) => `${r.provider}: ${r.status}${r.error ? ` (${r.error})` : ""}`).join("; ");
}

/**
 * Nothing valid at the end: when no call ran, why each provider was skipped
 * (saturated engines: ResourceExhausted; open breakers: Unavailable); else
 * DeadlineExceeded when time ran out, Unavailable otherwise.
 */
export function noAnswerError(plan: EnsemblePlan, records: readonly CandidateRecord[]): PoolError {
  const refused = refusalOf(plan.task, records, []);
  if (refused) return refused;
  const summary = statusSummary(records) || "no provider was called";
  if (plan.deadline.signal.aborted && !clientCancellation(plan)) {
    return new PoolError(
      Code.DeadlineExceeded,
      `deadline exceeded with no valid answer for task ${plan.task}: ${summary}`,
    );
  }
  return new PoolError(Code.Unavailable, `no valid answer for task ${plan.task}: ${summary}`);
}

/** The client went away: nothing is worth deciding any more. */
export function clientCancellation(plan: EnsemblePlan): PoolError | undefined {
  const reason: unknown = plan.deadline.signal.reason;
  return reason instanceof PoolError && reason.code === Code.Canceled ? reason : undefined;
}
