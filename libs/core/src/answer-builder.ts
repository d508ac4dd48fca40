import { create } from "@bufbuild/protobuf";
import {
  AnswerSchema,
  CandidateStatus,
  FallbackReason,
  type Answer,
  type OutputKind,
} from "@llm-pool/contract";
import type { CandidateRecord, CandidateStatusName, EnsembleOutcome, FallbackReasonName } from "./ensemble.js";
import { outputKindEnum, strategyEnum, taskEnum, type StrategyName } from "./task.js";
import type { TenantScope } from "./tenant-binding.js";
import { totalUsage } from "./total-usage.js";
import type { ValidQuery } from "./validate-query.js";

/** The contract's CandidateStatus of each status name. */
export const candidateStatus: Readonly<Record<CandidateStatusName, CandidateStatus>> = {
  ok: CandidateStatus.OK,
  error: CandidateStatus.ERROR,
  timeout: CandidateStatus.TIMEOUT,
  cancelled: CandidateStatus.CANCELLED,
  invalid: CandidateStatus.INVALID,
  breaker_open: CandidateStatus.BREAKER_OPEN,
  saturated: CandidateStatus.SATURATED,
};

const fallbackReason: Record<FallbackReasonName, FallbackReason> = {
  judge_late: FallbackReason.JUDGE_LATE,
  verdict_unparsable: FallbackReason.VERDICT_UNPARSABLE,
  judge_failed: FallbackReason.JUDGE_FAILED,
  no_quorum: FallbackReason.NO_QUORUM,
  below_threshold: FallbackReason.BELOW_THRESHOLD,
  too_few_candidates: FallbackReason.TOO_FEW_CANDIDATES,
  all_candidates_invalid: FallbackReason.ALL_CANDIDATES_INVALID,
};

export interface AnswerParts {
  readonly requestId: string;
  readonly scope: TenantScope;
  readonly query: ValidQuery;
  readonly outcome: EnsembleOutcome;
  readonly durationMs: number;
}

/** Builds the wire Answer from an ensemble outcome. Pure: same parts, same bytes. */
export function buildAnswer({ requestId, scope, query, outcome, durationMs }: AnswerParts): Answer {
  const winner = outcome.candidates.find((c) => c.id === outcome.winnerId);
  return create(AnswerSchema, {
    requestId,
    tenantId: scope.tenant,
    projectId: scope.project,
    task: taskEnum(query.task.name),
    output: outcome.output,
    outputKind: outputKindEnum(query.output.kind) as OutputKind,
    winnerProvider: winner?.provider ?? "",
    winnerModel: winner?.model ?? "",
    strategyRequested: strategyEnum(query.strategy),
    strategyApplied: strategyEnum(outcome.strategyApplied as StrategyName),
    decision: {
      candidates: outcome.candidates.map(candidateMessage),
      winnerId: outcome.winnerId,
      fallbacks: outcome.fallbacks.map((f) => ({
        from: strategyEnum(f.from),
        to: strategyEnum(f.to),
        reason: fallbackReason[f.reason],
        detail: f.detail.slice(0, 256),
      })),
      ...(outcome.judge
        ? {
            judge: {
              provider: outcome.judge.provider,
              model: outcome.judge.model,
              winnerId: outcome.judge.winnerId,
              confidence: outcome.judge.confidence,
              reason: outcome.judge.reason.slice(0, 256),
              latencyMs: outcome.judge.latencyMs,
              status: candidateStatus[outcome.judge.status],
            },
          }
        : {}),
      agreement: outcome.agreement,
      hedges: outcome.hedges,
    },
    fromCache: false,
    usage: winner?.usage ?? { promptTokens: 0, completionTokens: 0 },
    totalUsage: totalUsage(outcome),
    durationMs,
  });
}

function candidateMessage(c: CandidateRecord) {
  return {
    id: c.id,
    provider: c.provider,
    model: c.model,
    latencyMs: c.latencyMs,
    status: candidateStatus[c.status],
    score: c.score,
    error: c.error ?? "",
    hedged: c.hedged,
    ...(c.usage ? { usage: c.usage } : {}),
  };
}
