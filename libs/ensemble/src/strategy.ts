import type { EnsembleOutcome, EnsemblePlan, StrategyName } from "@llm-pool/core";

/** One way of turning several engines into one answer. One file each. */
export interface Strategy {
  readonly name: StrategyName;
  run(plan: EnsemblePlan): Promise<EnsembleOutcome>;
}
