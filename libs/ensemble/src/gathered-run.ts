import { Code, PoolError, type EnsembleOutcome, type EnsemblePlan, type StrategyName } from "@llm-pool/core";
import { decideWithFallbacks } from "./fallback-chain.js";
import { gatherCandidates, type Gathered, type GatherOptions } from "./gather.js";
import { clientCancellation } from "./outcome.js";
import { createRunContext, type RunContext, type StrategyDeps } from "./run-context.js";

/** How a strategy gathers its candidates before deciding. */
export interface GatherPolicy {
  /** When candidate calls must stop (clock ms); the plan's deadline when absent. */
  readonly windowEndsAt?: number;
  /** Stops waiting early; see GatherOptions.enough. */
  readonly enough?: GatherOptions["enough"];
  /** See GatherOptions.askAgainAt. */
  readonly askAgainAt?: number;
  /** See GatherOptions.leaveOut. */
  readonly leaveOut?: GatherOptions["leaveOut"];
  /** See GatherOptions.standIns. */
  readonly standIns?: GatherOptions["standIns"];
  /** See GatherOptions.closeWindow. */
  readonly closeWindow?: GatherOptions["closeWindow"];
  /** See GatherOptions.needed. */
  readonly needed?: GatherOptions["needed"];
  /** Hedges the gathering made (stand-ins that called a provider a second time), once it is over. Default none. */
  readonly hedges?: () => number;
  /**
   * The providers (by index) whose calls the decision waited for whatever
   * their duration, given what was gathered: only their durations are fair
   * samples for the track record. Default: every call.
   */
  readonly awaited?: (gathered: readonly Gathered[]) => ReadonlySet<number>;
}

/**
 * The shape shared by VOTING, CONSENSUS, WEIGHTED and JUDGE: call every
 * provider (bounded by max_parallel) until the policy's window closes or it
 * has enough, feed the calls to the track record, then decide through the
 * strategy's fallback chain.
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
      ...(policy.askAgainAt === undefined ? {} : { askAgainAt: policy.askAgainAt }),
      ...(policy.leaveOut ? { leaveOut: policy.leaveOut } : {}),
      ...(policy.standIns ? { standIns: policy.standIns } : {}),
      ...(policy.needed ? { needed: policy.needed } : {}),
      ...(policy.closeWindow ? { closeWindow: policy.closeWindow } : {}),
    });
  } finally {
    if (window !== plan.deadline) window.dispose();
  }
  const cancelled = clientCancellation(plan);
  if (cancelled) throw cancelled;
  // In provider order, so calls that finished in another order teach the track record the same.
  const awaited = policy.awaited?.(gathered);
  for (const g of gathered) {
    deps.track.observe(plan.task, g.record.provider, g.record.status, g.callMs, awaited?.has(g.index) ?? true);
  }
  return decideWithFallbacks(ctx, strategy, gathered, policy.hedges?.() ?? 0);
}
