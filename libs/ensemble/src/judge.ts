import {
  Code,
  PoolError,
  type CandidateStatusName,
  type EnsembleOutcome,
  type EnsemblePlan,
  type FallbackReasonName,
  type JudgeRecord,
  type Provider,
  type ProviderResult,
} from "@llm-pool/core";
import { validOrFallback, type DecisionStep, type StepResult } from "./decision-step.js";
import { runGathered } from "./gathered-run.js";
import { buildBallot, type Ballot } from "./judge-prompt.js";
import { judgeCandidates } from "./judge-ballot.js";
import { observedJudge } from "./observed-call.js";
import { clientCancellation } from "./outcome.js";
import type { RunContext, StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";
import { readVerdict } from "./verdict.js";
import { verdictRequest } from "./verdict-request.js";

/**
 * JUDGE (R-ENS-4, R-QOS-2): the deadline is split between the candidates and
 * the judge by the shared deadline split, from the judge's measured verdict
 * times (judge-window.ts); a ballot of the candidates expected first is
 * called, with stand-ins for those that fail or fall behind (judge-ballot.ts).
 * The judge starts with the ballot's answers, or with those in when its
 * window opens (calls still running end as `timeout`). It reads the valid
 * answers, anonymised and shuffled, and names the best. A late, failed or
 * unusable verdict falls back to `[judge] fallback` (VOTING by default) over
 * the same answers.
 */
export function createJudge(deps: StrategyDeps): Strategy {
  return {
    name: "JUDGE",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "JUDGE", judgeCandidates);
    },
  };
}

export const judgeStep: DecisionStep = async (ctx, gathered) => {
  const checked = validOrFallback(gathered, 2);
  if ("kind" in checked) return checked;
  const name = ctx.settings.judgeProvider;
  if (!name) return fallback("judge_failed", "no judge provider is configured ([judge] provider)");
  const provider = observedJudge(ctx.deps.judges(name), ctx.plan);
  if (!provider) return fallback("judge_failed", `judge provider ${name} is not available`);
  if (!ctx.judgeWindow().judge || ctx.plan.deadline.remaining() <= 0) {
    return fallback("judge_late", "no time was left for the judge");
  }

  const ballot = buildBallot(ctx.plan.request, checked.valid);
  const startedAt = ctx.plan.clock.now();
  const verdicts = ctx.deps.judgeTiming.verdicts;
  ctx.plan.stream?.progress({ stage: "judge", provider: provider.name, status: "ok", latencyMs: startedAt - ctx.plan.startedAt });
  let result: ProviderResult;
  try {
    result = await provider.infer(verdictRequest(ctx, ballot), ctx.plan.deadline.signal);
  } catch (reason) {
    const cancelled = clientCancellation(ctx.plan);
    if (cancelled) throw cancelled;
    const late =
      ctx.plan.deadline.signal.aborted || (reason instanceof PoolError && reason.code === Code.DeadlineExceeded);
    const message = reason instanceof Error ? reason.message : String(reason);
    const judge = record(ctx, provider, startedAt, late ? "timeout" : "error");
    // A late verdict took at least this long: counting it keeps the plan from staying too short.
    if (late) verdicts.record(provider.name, ctx.plan.task, judge.latencyMs);
    // No measured duration in the detail: the decision's text must not change with timing (R-ENS-5).
    return late
      ? fallback("judge_late", "no verdict before the deadline", judge)
      : fallback("judge_failed", `judge call failed: ${message.slice(0, 160)}`, judge);
  }
  verdicts.record(provider.name, ctx.plan.task, ctx.plan.clock.now() - startedAt);
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
    comparison: { won: [winner.record.id], lost: checked.valid.filter((c) => c !== winner).map((c) => c.record.id) },
    judge: {
      ...record(ctx, provider, startedAt, "ok", result),
      winnerId: verdict.winnerId,
      confidence: verdict.confidence,
      reason: verdict.reason,
    },
  };
};

function record(
  ctx: RunContext,
  provider: Provider,
  startedAt: number,
  status: CandidateStatusName,
  result?: ProviderResult,
): JudgeRecord {
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

function fallback(reason: FallbackReasonName, detail: string, judge?: JudgeRecord): StepResult {
  return { kind: "fallback", reason, detail, ...(judge ? { judge } : {}) };
}
