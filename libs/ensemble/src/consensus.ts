import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { validOrFallback, type DecisionStep } from "./decision-step.js";
import { runGathered } from "./gathered-run.js";
import type { StrategyDeps } from "./run-context.js";
import type { Strategy } from "./strategy.js";
import { clusterCandidates, decidedByCluster, majorityOf, voteIsSettled } from "./voting.js";

/**
 * CONSENSUS (R-ENS-2): VOTING that only answers when agreement (the winning
 * cluster's share of the valid answers) reaches `consensus_threshold`, and
 * reports it. Below the threshold it falls back to VOTING with the same
 * answers. It stops waiting early only when the agreement is already certain:
 * a strict majority of the plan's providers that is also at least the
 * threshold's share of all of them, however the rest answer, with its
 * answer final (see voteIsSettled).
 */
export function createConsensus(deps: StrategyDeps): Strategy {
  return {
    name: "CONSENSUS",
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      return runGathered(plan, deps, "CONSENSUS", (ctx) => {
        const n = plan.providers.length;
        const size = Math.max(majorityOf(n), Math.ceil(ctx.settings.consensusThreshold * n - 1e-9));
        return { enough: (finished) => voteIsSettled(ctx, finished, size) };
      });
    },
  };
}

export const consensusStep: DecisionStep = (ctx, gathered) => {
  const checked = validOrFallback(gathered, 2);
  if ("kind" in checked) return checked;
  const clustering = clusterCandidates(ctx, checked.valid);
  const threshold = ctx.settings.consensusThreshold;
  const agreeing = clustering.winner.members.length;
  if (agreeing < 2 || clustering.agreement < threshold) {
    const measured = `${clustering.agreement.toFixed(2)} (${agreeing} of ${checked.valid.length})`;
    return {
      kind: "fallback",
      reason: "below_threshold",
      detail: `agreement ${measured} is below consensus_threshold ${threshold}`,
      agreement: clustering.agreement,
    };
  }
  return decidedByCluster(clustering);
};
