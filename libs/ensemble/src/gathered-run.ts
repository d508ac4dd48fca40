import { Code, PoolError, type EnsembleOutcome, type EnsemblePlan, type StrategyName } from "@llm-pool/core";
import { decideWithFallbacks } from "./fallback-chain.js";
import { gatherCandidates, type Gathered } from "./gather.js";
import { clientCancellation } from "./outcome.js";
import { createRunContext, type RunContext, type StrategyDeps } from "./run-context.js";

/** How a strategy gathers its candidates before deciding. */
export interface GatherPolicy {
  /** When candidate calls must stop (clock ms); the plan's deadline when absent. */
  readonly windowEndsAt?: number;
  /** Stops waiting early; see GatherOptions.enough. */
  readonly enough?: (finished: readonly Gathered[]) => boolean;
}

/**
 * The shape shared by VOTING, CONSENSUS, WEIGHTED and JUDGE: call every
 * provider (bounded by max_parallel) until the policy's window closes or it
 * has enough, then decide through the strategy's fallback chain.
 */
export async function runGathered(
  plan: EnsemblePlan,
  deps: StrategyDeps,
  strategy: StrategyName,
  policyOf: (ctx: RunContext) => GatherPolicy | Promise<GatherPolicy>,
): Promise<EnsembleOutcome> {
  if (plan.providers.length === 0) {
    throw new PoolError(Code.Unavailable, `no provider is available for task ${plan.task}`);
  }
  const ctx = createRunContext(plan, deps);
  const policy = await policyOf(ctx);
  const window =
    policy.windowEndsAt === undefined ? plan.deadline : plan.deadline.child(policy.windowEndsAt - plan.clock.now());
  let gathered: Gathered[];
  try {
    gathered = await gatherCandidates(plan, {
      window,
      maxParallel: ctx.settings.maxParallel,
      validator: deps.validator,
      ...(deps.breakers ? { breakers: deps.breakers } : {}),
      ...(policy.enough ? { enough: policy.enough } : {}),
    });
  } finally {
    if (window !== plan.deadline) window.dispose();
  }
  const cancelled = clientCancellation(plan);
  if (cancelled) throw cancelled;
  return decideWithFallbacks(ctx, strategy, gathered);
}
