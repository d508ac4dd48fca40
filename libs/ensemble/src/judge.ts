import {
  Code,
  PoolError,
  type CandidateStatusName,
  type EnsembleOutcome,
  type EnsemblePlan,
  type FallbackReasonName,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
} from "@llm-pool/core";
import { validOrFallback, type DecisionStep, type JudgeRecordWithUsage, type StepResult } from "./decision-step.js";
import { runGathered } from "./gathered-run.js";
import { buildBallot, type Ballot } from "./judge-prompt.js";
import { clientCancellation } from "./outcome.js";
import type { RunContext, StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";
import { readVerdict, VERDICT_SCHEMA } from "./verdict.js";

/** Verdicts are short; the judge never gets more than this many tokens (R-ENS-4). */
export const JUDGE_MAX_TOKENS = 128;

/**
 * JUDGE (R-ENS-4, R-QOS-2): the candidates get (1 - judge_share) of the
 * deadline (which the orchestrator already cut by its margin); then the judge
 * provider reads the valid answers, anonymised and shuffled, and names the
 * best in the rest of the time. The judge starts as soon as every candidate
 * has finished, or when the candidates' share runs out. A late, failed or
 * unusable verdict falls back to `[judge] fallback` (VOTING by default) over
 * the same answers.
 */
export function createJudge(deps: StrategyDeps): Strategy {
  return {
    name: "JUDGE",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "JUDGE", (ctx) => ({
        windowEndsAt: candidateWindowEnd(plan, ctx.settings.judgeShare),
      }));
    },
  };
}

/** When the candidates' share of the deadline ends (clock ms). */
export function candidateWindowEnd(plan: EnsemblePlan, judgeShare: number): number {
  const budget = Math.max(0, plan.deadline.at - plan.startedAt);
  const share = Math.min(1, Math.max(0, judgeShare));
  return plan.startedAt + Math.floor(budget * (1 - share));
}

export const judgeStep: DecisionStep = async (ctx, gathered) => {
  const checked = validOrFallback(gathered, 2);
  if ("kind" in checked) return checked;
  const name = ctx.settings.judgeProvider;
  if (!name) return fallback("judge_failed", "no judge provider is configured ([judge] provider)");
  const provider = ctx.deps.judges(name);
  if (!provider) return fallback("judge_failed", `judge provider ${name} is not available`);
  if (ctx.plan.deadline.remaining() <= 0) return fallback("judge_late", "no time was left for the judge");

  const ballot = buildBallot(ctx.plan.request, checked.valid);
  const startedAt = ctx.plan.clock.now();
  let result: ProviderResult;
  try {
    result = await provider.infer(judgeRequest(ctx, ballot), ctx.plan.deadline.signal);
  } catch (reason) {
    const cancelled = clientCancellation(ctx.plan);
    if (cancelled) throw cancelled;
    const late =
      ctx.plan.deadline.signal.aborted || (reason instanceof PoolError && reason.code === Code.DeadlineExceeded);
    const message = reason instanceof Error ? reason.message : String(reason);
    const judge = record(ctx, provider, startedAt, late ? "timeout" : "error");
    return late
      ? fallback("judge_late", `no verdict within ${ctx.plan.deadline.at - startedAt} ms`, judge)
      : fallback("judge_failed", `judge call failed: ${message.slice(0, 160)}`, judge);
  }
  if (ctx.plan.deadline.signal.aborted) {
    const judge = record(ctx, provider, startedAt, "timeout", result);
    return fallback("judge_late", "the verdict came after the deadline", judge);
  }

  const verdict = readVerdict(result.text, ballot.ids, ctx.deps.validator);
  if (!verdict.ok) {
    return fallback("verdict_unparsable", verdict.problem, record(ctx, provider, startedAt, "invalid", result));
  }
  const winner = ballot.candidateOf(verdict.winnerId)!;
  return {
    kind: "decided",
    winnerId: winner.record.id,
    scores: new Map(checked.valid.map((c) => [c.record.id, c === winner ? verdict.confidence : 0])),
    judge: {
      ...record(ctx, provider, startedAt, "ok", result),
      winnerId: verdict.winnerId,
      confidence: verdict.confidence,
      reason: verdict.reason,
    },
  };
};

function judgeRequest(ctx: RunContext, ballot: Ballot): ProviderRequest {
  return {
    task: "judge",
    system: ballot.system,
    prompt: ballot.prompt,
    maxTokens: Math.max(1, Math.min(JUDGE_MAX_TOKENS, ctx.settings.judgeMaxTokens)),
    temperature: 0,
    ...(ctx.plan.request.seed === undefined ? {} : { seed: ctx.plan.request.seed }),
    output: { kind: "json_schema", schema: VERDICT_SCHEMA },
  };
}

function record(
  ctx: RunContext,
  provider: Provider,
  startedAt: number,
  status: CandidateStatusName,
  result?: ProviderResult,
): JudgeRecordWithUsage {
  return {
    provider: provider.name,
    model: result?.model || provider.model,
    winnerId: "",
    confidence: 0,
    reason: "",
    latencyMs: Math.max(0, ctx.plan.clock.now() - startedAt),
    status,
    ...(result ? { usage: result.usage } : {}),
  };
}

function fallback(reason: FallbackReasonName, detail: string, judge?: JudgeRecordWithUsage): StepResult {
  return { kind: "fallback", reason, detail, ...(judge ? { judge } : {}) };
}
