import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { validOrFallback, type DecisionStep } from "./decision-step.js";
import { isValid, type Gathered } from "./gather.js";
import { runGathered } from "./gathered-run.js";
import { PRIOR_WIN_RATE, type RunContext, type StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";
import { quantizeScore } from "./score-order.js";

/**
 * WEIGHTED (R-ENS-3): each provider scores its config weight times its
 * win-rate for the task; the valid answer with the highest score wins (ties:
 * provider order). Scores are known before anyone answers, so it stops
 * waiting as soon as a valid answer arrives that no provider still working
 * could beat, and cancels the rest.
 */
export function createWeighted(deps: StrategyDeps): Strategy {
  return {
    name: "WEIGHTED",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "WEIGHTED", async (ctx) => {
        const scores = await providerScores(ctx);
        return { enough: (finished) => unbeatable(finished, scores) };
      });
    },
  };
}

export const weightedStep: DecisionStep = async (ctx, gathered) => {
  const checked = validOrFallback(gathered, 1);
  if ("kind" in checked) return checked;
  const byProvider = await providerScores(ctx);
  const scores = new Map(checked.valid.map((c) => [c.record.id, byProvider[c.index]!]));
  const winner = [...checked.valid].sort((a, b) => beats(byProvider, a.index, b.index))[0]!;
  return { kind: "decided", winnerId: winner.record.id, scores };
};

/** Score of each provider of the plan, by index: weight x win-rate. */
async function providerScores(ctx: RunContext): Promise<number[]> {
  const rates = await ctx.rates();
  return ctx.plan.providers.map((p) => ctx.weightOf(p.name) * (rates.get(p.name) ?? PRIOR_WIN_RATE));
}

/** Sort comparator: negative when provider `a` ranks before `b` (higher score, then earlier). */
function beats(scores: readonly number[], a: number, b: number): number {
  return quantizeScore(scores[b]!) - quantizeScore(scores[a]!) || a - b;
}

function unbeatable(finished: readonly Gathered[], scores: readonly number[]): boolean {
  const valid = finished.filter(isValid).sort((a, b) => beats(scores, a.index, b.index));
  const best = valid[0];
  if (!best) return false;
  const done = new Set(finished.map((g) => g.index));
  return scores.every((_, i) => done.has(i) || beats(scores, best.index, i) < 0);
}
