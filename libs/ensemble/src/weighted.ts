import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { validOrFallback, type DecisionStep } from "./decision-step.js";
import { isValid, type Gathered } from "./gather.js";
import { runGathered, type GatherPolicy } from "./gathered-run.js";
import type { RunContext, StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";
import { explorationTarget, providerScores, ranksBefore } from "./weighted-score.js";

/**
 * WEIGHTED (R-ENS-3): each provider scores weight × win-rate × validity ×
 * speed (see providerScores); the valid answer with the highest score wins
 * (ties: provider order). Scores are known before anyone answers, so it stops
 * waiting as soon as a valid answer arrives that no provider still working
 * could beat, and cancels the rest; an exploring query also waits for the
 * rival it explores (see explorationTarget). The decision compares no
 * content, so it feeds nothing to the win-rates.
 */
export function createWeighted(deps: StrategyDeps): Strategy {
  return {
    name: "WEIGHTED",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "WEIGHTED", gatherPolicy);
    },
  };
}

export const weightedStep: DecisionStep = async (ctx, gathered) => {
  const checked = validOrFallback(gathered, 1);
  if ("kind" in checked) return checked;
  const byProvider = await providerScores(ctx);
  const scores = new Map(checked.valid.map((c) => [c.record.id, byProvider[c.index]!]));
  const winner = [...checked.valid].sort((a, b) => ranksBefore(byProvider, a.index, b.index))[0]!;
  return { kind: "decided", winnerId: winner.record.id, scores };
};

async function gatherPolicy(ctx: RunContext): Promise<GatherPolicy> {
  const scores = await providerScores(ctx);
  const target = explorationTarget(ctx, scores);
  // The decision waits for every provider ranked at or above the winner (and the explored one):
  // a rival ranked below that answered first is a sample of its fast calls only.
  const awaited = (gathered: readonly Gathered[]) => {
    const winner = gathered.filter(isValid).sort((a, b) => ranksBefore(scores, a.index, b.index))[0];
    const ranked = scores.map((_, i) => i).filter((i) => !winner || ranksBefore(scores, i, winner.index) <= 0);
    return new Set(target === undefined ? ranked : [...ranked, target]);
  };
  if (target === undefined) return { enough: (finished) => unbeatable(finished, scores), awaited };
  const { plan } = ctx;
  ctx.deps.track.explored(plan.task, plan.providers[target]!.name);
  const waitUntil = plan.startedAt + Math.floor((plan.deadline.at - plan.startedAt) * ctx.deps.exploration.waitShare);
  return {
    enough: (finished) =>
      unbeatable(finished, scores) && (finished.some((g) => g.index === target) || plan.clock.now() >= waitUntil),
    askAgainAt: waitUntil,
    awaited,
  };
}

function unbeatable(finished: readonly Gathered[], scores: readonly number[]): boolean {
  const best = finished.filter(isValid).sort((a, b) => ranksBefore(scores, a.index, b.index))[0];
  if (!best) return false;
  const done = new Set(finished.map((g) => g.index));
  return scores.every((_, i) => done.has(i) || ranksBefore(scores, best.index, i) < 0);
}
