/** What a hedge plan needs to know of a provider; a core `Provider` fits as is. */
export interface HedgeTarget {
  readonly name: string;
  /** Providers with the same engine share its slots and its compute. */
  readonly engine: string;
}

/** What the pool knows of its engines right now, asked per provider. */
export interface HedgeView<T extends HedgeTarget> {
  /** A call to the provider's engine would start generating at once. */
  hasFreeSlot(provider: T): boolean;
  /** The provider's model is loaded (Ollama /api/ps); engines without the notion say true. */
  isResident(provider: T): boolean;
  /** A call started now is expected to answer before the deadline (engines without a forecast say true). */
  fits(provider: T): boolean;
}

/** Why a primary will be late before it even starts. */
export type PrimaryStall =
  /** Its model is not loaded: it will pay the cold load. */
  | "primary_cold"
  /** Its engine has no free slot: it will wait in the queue. */
  | "primary_queued";

/** When FASTEST asks for a hedge. */
export type HedgeMoment =
  /** The primary has just started; `stall` is what `primaryStall` said of it just before. */
  | { readonly kind: "start"; readonly stall: PrimaryStall | undefined }
  /** The hedge delay passed and the primary is still silent. */
  | { readonly kind: "delay" }
  /** The primary outlived its expected time by far (`rescueAfterMs`): it is presumed stuck. */
  | { readonly kind: "rescue" };

export interface HedgePlanInput<T extends HedgeTarget> {
  /** The call the hedge would run beside (the latest started). */
  readonly primary: T;
  readonly moment: HedgeMoment;
  /** Providers not started yet, in hedge order, without those whose breaker is open. */
  readonly candidates: readonly T[];
  readonly view: HedgeView<T>;
  /**
   * Whether a hedge after the delay may run on the primary's own engine. Off by
   * default: on one Mac mini two generations slow each other down, so the hedge
   * would only share the primary's compute. Turn on for batching engines (vLLM).
   */
  readonly shareEngine?: boolean;
}

export type HedgeReason =
  /** A stalled primary (its model cold, or queued): hedge at once onto a warm provider with a free slot. */
  | PrimaryStall
  /** The primary runs normally but is still silent after the delay: hedge onto a warm provider of another engine. */
  | "slow_primary"
  /** The primary is presumed stuck: hedge onto any provider with a free slot, cold or on the same engine. */
  | "primary_outlived"
  /** No hedge: the primary started without a stall; wait for the delay. */
  | "primary_ready"
  /** No hedge: nothing left to start. */
  | "no_candidate"
  /** No hedge: every candidate's engine is full; the machine is saturated. */
  | "engines_full"
  /** No hedge: no candidate with a free slot could answer before the deadline. */
  | "no_time"
  /** No hedge: free slots exist, but only on cold models or (for a delayed hedge) on the primary's engine. */
  | "no_warm_target";

export interface HedgePlan<T extends HedgeTarget> {
  /** The provider to hedge onto now; absent when no hedge should start. */
  readonly target?: T;
  readonly reason: HedgeReason;
}

/** A primary silent for this many times its expected time is presumed stuck. */
export const OUTLIVED_FACTOR = 2;

/** Whether a primary will be late before it starts: its model is cold, or its engine has no free slot. */
export function primaryStall<T extends HedgeTarget>(view: HedgeView<T>, primary: T): PrimaryStall | undefined {
  if (!view.isResident(primary)) return "primary_cold";
  if (!view.hasFreeSlot(primary)) return "primary_queued";
  return undefined;
}

/** Ms after the primary's start at which it counts as stuck: OUTLIVED_FACTOR times its expected time, never before the delay. */
export function rescueAfterMs(delayMs: number, expectedMs: number): number {
  return Math.max(delayMs, OUTLIVED_FACTOR * expectedMs);
}

/**
 * The one place that decides whether FASTEST hedges now, and onto whom
 * (R-QOS-3). A hedge never adds load to a saturated engine: never onto an
 * engine with no free slot (it would queue or steal the compute it hopes to
 * add), never onto a provider that cannot answer before the deadline, and
 * never onto a cold model (it would pay a load) unless the primary is
 * presumed stuck.
 *
 * - start: when the primary is known to stall (cold, or queued), at once onto
 *   the first warm provider with a free slot, on any engine;
 * - delay: onto the first warm provider with a free slot on another engine
 *   (on one Mac mini a second generation only slows the first down), or on
 *   any engine with `shareEngine`;
 * - rescue: onto the first provider with a free slot, cold or on the
 *   primary's engine.
 *
 * Pure: the caller starts the call and pays the hedge budget for it.
 */
export function hedgePlan<T extends HedgeTarget>(input: HedgePlanInput<T>): HedgePlan<T> {
  const { primary, moment, candidates, view } = input;
  if (moment.kind === "start" && moment.stall === undefined) return { reason: "primary_ready" };
  if (candidates.length === 0) return { reason: "no_candidate" };
  const free = candidates.filter((c) => view.hasFreeSlot(c));
  if (free.length === 0) return { reason: "engines_full" };
  const inTime = free.filter((c) => view.fits(c));
  if (inTime.length === 0) return { reason: "no_time" };
  if (moment.kind === "rescue") return { target: inTime[0]!, reason: "primary_outlived" };
  const warm = inTime.filter((c) => view.isResident(c));
  const target = moment.kind === "start" ? warm[0] : warm.find((c) => input.shareEngine || c.engine !== primary.engine);
  if (!target) return { reason: "no_warm_target" };
  return { target, reason: moment.kind === "start" ? moment.stall! : "slow_primary" };
}
