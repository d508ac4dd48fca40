/**
 * One way of configuring the shipped FASTEST, as a row of the benchmark
 * table: every knob is a real config field or a real dependency of
 * `createEnsemble`.
 */
export interface HedgingMode {
  readonly label: string;
  /** `[qos] hedge_mode`. */
  readonly hedgeMode: "fixed" | "adaptive";
  /** `[qos] hedge_after_ms` (in adaptive mode, until the primary has enough answers). */
  readonly hedgeAfterMs: number;
  /** `[qos] hedge_budget_share`; 0 with an empty bucket: no hedge at all. */
  readonly budgetShare: number;
  /** Whether the ensemble gets its circuit breakers (the pool always has them). */
  readonly breakers: boolean;
}

/** The shipped FASTEST with its hedge budget emptied: the baseline without hedging. */
export const NO_HEDGE: HedgingMode = { label: "no hedge", hedgeMode: "fixed", hedgeAfterMs: 350, budgetShare: 0, breakers: true };
/** The seed's setting: hedge after 350 ms, the pool's default 15% budget. */
export const FIXED_350: HedgingMode = { label: "fixed 350 ms", hedgeMode: "fixed", hedgeAfterMs: 350, budgetShare: 0.15, breakers: true };
/** Hedge at the primary's observed p90 for the task (350 ms until it has 20 answers). */
export const ADAPTIVE: HedgingMode = { label: "adaptive p90", hedgeMode: "adaptive", hedgeAfterMs: 350, budgetShare: 0.15, breakers: true };
/** The same fixed hedge with a budget that never refuses: what the budget saves. */
export const FIXED_350_UNBUDGETED: HedgingMode = { ...FIXED_350, label: "fixed 350 ms, budget 100%", budgetShare: 1 };

/** The rows every scenario measures, baseline first. */
export const HEDGING_MODES: readonly HedgingMode[] = [NO_HEDGE, FIXED_350, ADAPTIVE, FIXED_350_UNBUDGETED];

/** The same mode without circuit breakers, to show what they are worth. */
export function withoutBreakers(mode: HedgingMode): HedgingMode {
  return { ...mode, label: `${mode.label}, no breakers`, breakers: false };
}
