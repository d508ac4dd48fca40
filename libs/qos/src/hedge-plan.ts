import type { HedgeBudgetView } from "./hedge-budget.js";

/** What a hedge plan needs to know of a provider; a core `Provider` fits as is. */
export interface HedgeTarget {
  readonly name: string;
  /** Providers with the same engine share its slots and its compute. */
  readonly engine: string;
}

export interface HedgePlanInput<T extends HedgeTarget> {
  /** The call already started. */
  readonly primary: T;
  /** Providers not started yet, in hedge order, without those whose breaker is open. */
  readonly candidates: readonly T[];
  /** A call to this engine would start generating at once (the pool's in-flight count is below its limit). */
  engineHasFreeSlot(engine: string): boolean;
  /** The provider's model is loaded (Ollama /api/ps); engines without the notion say true. */
  isResident(provider: string): boolean;
  /** Calls to this engine are waiting for a slot; for the primary's engine, the primary is likely one of them. */
  isQueued(engine: string): boolean;
  readonly budget: HedgeBudgetView;
  /**
   * Whether a hedge after the delay may run on the primary's own engine. Off by
   * default: on one Mac mini two generations slow each other down, so the hedge
   * would only share the primary's compute. Turn on for batching engines (vLLM).
   */
  readonly shareEngine?: boolean;
}

export type HedgeStart = "now" | "after-delay" | "never";

export type HedgeReason =
  /** now: the primary's model is not loaded; it will pay the cold load. */
  | "primary_cold"
  /** now: the primary waits for a slot on its engine. */
  | "primary_queued"
  /** after-delay: the primary runs normally; hedge if it is still silent after the delay. */
  | "slow_primary"
  /** never: nothing left to start. */
  | "no_candidate"
  /** never: the hedge budget is spent (or hedging is cooling off after saturation). */
  | "budget_exhausted"
  /** never: every candidate's engine is full; the machine is saturated. */
  | "engines_full"
  /** never: free slots exist, but only on cold models or (for a delayed hedge) on the primary's engine. */
  | "no_warm_target";

export interface HedgePlan<T extends HedgeTarget> {
  readonly startAt: HedgeStart;
  /** The provider to hedge onto; set unless startAt is "never". */
  readonly target?: T;
  readonly reason: HedgeReason;
}

/**
 * Decides whether and when FASTEST should hedge, and onto which provider.
 * Never onto an engine with no free slot (the hedge would queue or steal the
 * compute it hopes to add), never onto a cold model (it would pay a load).
 * When the primary is known to be stalled (its model is cold, or it waits
 * for a slot), go at once to the first warm provider with a free slot.
 * Otherwise hedge after the delay, onto another engine unless `shareEngine`.
 * Pure: it reads the budget but does not spend it.
 */
export function hedgePlan<T extends HedgeTarget>(input: HedgePlanInput<T>): HedgePlan<T> {
  const { primary, candidates } = input;
  if (candidates.length === 0) return { startAt: "never", reason: "no_candidate" };
  if (!input.budget.canHedge()) return { startAt: "never", reason: "budget_exhausted" };
  const free = candidates.filter((c) => input.engineHasFreeSlot(c.engine));
  if (free.length === 0) return { startAt: "never", reason: "engines_full" };
  const warm = free.filter((c) => input.isResident(c.name));

  const stall: HedgeReason | undefined = !input.isResident(primary.name)
    ? "primary_cold"
    : input.isQueued(primary.engine)
      ? "primary_queued"
      : undefined;
  if (stall) {
    const target = warm[0];
    return target ? { startAt: "now", target, reason: stall } : { startAt: "never", reason: "no_warm_target" };
  }
  const target = warm.find((c) => input.shareEngine || c.engine !== primary.engine);
  return target ? { startAt: "after-delay", target, reason: "slow_primary" } : { startAt: "never", reason: "no_warm_target" };
}
