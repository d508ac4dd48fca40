import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { clusterByThreshold, type Clustering } from "./clustering.js";
import { validOrFallback, type DecisionStep, type StepDecision } from "./decision-step.js";
import { isValid, type Gathered, type ValidCandidate } from "./gather.js";
import { runGathered } from "./gathered-run.js";
import type { RunContext, StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";

/**
 * VOTING (R-ENS-2): every provider answers (at most max_parallel at a time),
 * similar answers are clustered and the largest cluster wins; its member
 * earliest in provider order is the answer. Early quorum: once a strict
 * majority of the plan's providers agree and no provider still working could
 * come before that answer (see voteIsSettled), the rest are cancelled.
 * Fewer than two valid answers, or no two that agree, fall back to WEIGHTED.
 */
export function createVoting(deps: StrategyDeps): Strategy {
  return {
    name: "VOTING",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "VOTING", (ctx) => ({
        enough: (finished) => voteIsSettled(ctx, finished, majorityOf(plan.providers.length)),
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

/**
 * Whether a vote is already decided whatever the providers still working
 * answer, so VOTING and CONSENSUS may stop waiting (R-ENS-2, R-ENS-5). Two
 * things must be final:
 *
 * - the winning cluster: it holds at least `size` answers, a strict majority
 *   of the plan. Single linkage only ever merges clusters, so a strict
 *   majority stays the largest cluster however the rest answer;
 * - its representative, the member earliest in provider order: every
 *   provider before it has finished without a valid answer. One still
 *   working could join the cluster and come first; one that answered validly
 *   outside the cluster could be linked in by a later answer.
 *
 * Then the decision over the answers seen so far is the decision over all of
 * them, whichever arrived first.
 */
export function voteIsSettled(ctx: RunContext, finished: readonly Gathered[], size: number): boolean {
  const needed = Math.max(2, size);
  const valid = finished.filter(isValid);
  if (valid.length < needed) return false;
  const winner = clusterCandidates(ctx, valid).winner;
  if (winner.members.length < needed) return false;
  const byIndex = new Map(finished.map((g) => [g.index, g]));
  for (let index = 0; index < winner.representative.order; index++) {
    const earlier = byIndex.get(index);
    if (!earlier || isValid(earlier)) return false;
  }
  return true;
}

export function clusterCandidates(ctx: RunContext, valid: readonly ValidCandidate[]): Clustering {
  return clusterByThreshold(
    valid.map((c) => ({ id: c.record.id, order: c.index, text: c.text })),
    ctx.pairScore,
    ctx.settings.similarityThreshold,
  );
}

/**
 * The winning cluster's representative wins. Each candidate scores its own
 * cluster's share of the valid answers seen (an observation: an early stop
 * sees fewer). The comparison: every answer in the winning cluster won,
 * every valid answer outside it lost.
 */
export function decidedByCluster(clustering: Clustering): StepDecision {
  const scores = new Map<string, number>();
  const total = clustering.clusters.reduce((n, c) => n + c.members.length, 0);
  for (const cluster of clustering.clusters) {
    for (const m of cluster.members) scores.set(m.id, cluster.members.length / total);
  }
  const winners = new Set(clustering.winner.members.map((m) => m.id));
  return {
    kind: "decided",
    winnerId: clustering.winner.representative.id,
    scores,
    agreement: clustering.agreement,
    comparison: { won: [...winners], lost: [...scores.keys()].filter((id) => !winners.has(id)) },
  };
}
