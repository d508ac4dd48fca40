import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { clusterByThreshold, type Clustering } from "./clustering.js";
import { validOrFallback, type DecisionStep, type StepDecision } from "./decision-step.js";
import { isValid, type Gathered, type ValidCandidate } from "./gather.js";
import { runGathered } from "./gathered-run.js";
import type { RunContext, StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";

/**
 * VOTING (R-ENS-2): every provider answers (at most max_parallel at a time),
 * similar answers are clustered and the largest cluster wins; its medoid is
 * the answer. Early quorum: once a strict majority of the plan's providers
 * agree, the rest are cancelled, since no later answer can outvote them.
 * Fewer than two valid answers, or no two that agree, fall back to WEIGHTED.
 */
export function createVoting(deps: StrategyDeps): Strategy {
  return {
    name: "VOTING",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "VOTING", (ctx) => ({
        enough: (finished) => hasQuorum(ctx, finished, majorityOf(plan.providers.length)),
      }));
    },
  };
}

export const votingStep: DecisionStep = (ctx, gathered) => {
  const checked = validOrFallback(gathered, 2);
  if ("kind" in checked) return checked;
  const clustering = clusterCandidates(ctx, checked.valid);
  if (clustering.winner.members.length < 2) {
    return {
      kind: "fallback",
      reason: "no_quorum",
      detail: `no two of ${checked.valid.length} valid answers reach similarity ${ctx.settings.similarityThreshold}`,
      agreement: clustering.agreement,
    };
  }
  return decidedByCluster(clustering);
};

/** Strictly more than half of `n`. */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** True once at least `size` valid answers (and at least two) sit in one cluster. */
export function hasQuorum(ctx: RunContext, finished: readonly Gathered[], size: number): boolean {
  const valid = finished.filter(isValid);
  if (valid.length < Math.max(2, size)) return false;
  return clusterCandidates(ctx, valid).winner.members.length >= Math.max(2, size);
}

export function clusterCandidates(ctx: RunContext, valid: readonly ValidCandidate[]): Clustering {
  return clusterByThreshold(
    valid.map((c) => ({ id: c.record.id, order: c.index, text: c.text })),
    ctx.pairScore,
    ctx.settings.similarityThreshold,
  );
}

/** The winning cluster's medoid wins; each candidate scores its own cluster's share of the valid answers. */
export function decidedByCluster(clustering: Clustering): StepDecision {
  const scores = new Map<string, number>();
  const total = clustering.clusters.reduce((n, c) => n + c.members.length, 0);
  for (const cluster of clustering.clusters) {
    for (const m of cluster.members) scores.set(m.id, cluster.members.length / total);
  }
  return { kind: "decided", winnerId: clustering.winner.medoid.id, scores, agreement: clustering.agreement };
}
