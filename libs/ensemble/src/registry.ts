import { Code, PoolError, type Ensemble, type EnsembleOutcome, type EnsemblePlan, type StrategyName } from "@llm-pool/core";
import { fastest } from "./fastest.js";
import type { Strategy } from "./strategy.js";

/** The strategies this build implements; adding one is one line here. */
const builtIn: readonly Strategy[] = [fastest];

/** An Ensemble that dispatches each plan to the strategy it names. */
export function createEnsemble(strategies: readonly Strategy[] = builtIn): Ensemble {
  const byName = new Map<StrategyName, Strategy>(strategies.map((s) => [s.name, s]));
  return {
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      const strategy = byName.get(plan.strategy);
      if (!strategy) {
        return Promise.reject(
          new PoolError(Code.InvalidArgument, `strategy: ${plan.strategy} is not available in this build`, {
            field: "strategy",
          }),
        );
      }
      return strategy.run(plan);
    },
  };
}

export function implementedStrategies(): readonly StrategyName[] {
  return builtIn.map((s) => s.name);
}
