/** When a race hedges a primary that is still silent. */
export type HedgeDelay =
  | { readonly kind: "none" }
  | { readonly kind: "fixed"; readonly ms: number }
  | {
      readonly kind: "adaptive";
      /** Percentile of the primary's recent latency, e.g. 0.9. */
      readonly percentile: number;
      /** hedge_after_ms, used until the tracker has enough samples. */
      readonly fallbackMs: number;
      readonly minMs: number;
      readonly maxMs: number;
    };

/** One way of running FASTEST, as a row of the benchmark table. */
export interface HedgeMode {
  readonly label: string;
  readonly delay: HedgeDelay;
  /** Spend hedges from a HedgeBudget with this share; unlimited when absent. */
  readonly budgetShare?: number;
  /** Ask hedgePlan where and when to hedge instead of hedging blindly onto the next provider. */
  readonly engineAware: boolean;
  /** Skip providers whose circuit breaker is open (R-QOS-1). */
  readonly breaker: boolean;
}

const ADAPTIVE: HedgeDelay = { kind: "adaptive", percentile: 0.9, fallbackMs: 350, minMs: 100, maxMs: 800 };

export const NO_HEDGE: HedgeMode = { label: "no hedge", delay: { kind: "none" }, engineAware: false, breaker: true };
export const FIXED_350: HedgeMode = { label: "fixed 350 ms", delay: { kind: "fixed", ms: 350 }, engineAware: false, breaker: true };
export const FIXED_900: HedgeMode = { label: "fixed 900 ms", delay: { kind: "fixed", ms: 900 }, engineAware: false, breaker: true };
export const FIXED_350_BUDGET: HedgeMode = { ...FIXED_350, label: "fixed 350 ms + budget", budgetShare: 0.15 };
export const ADAPTIVE_BUDGET: HedgeMode = { label: "adaptive p90 + budget", delay: ADAPTIVE, budgetShare: 0.15, engineAware: false, breaker: true };
export const ENGINE_AWARE_350: HedgeMode = { ...FIXED_350_BUDGET, label: "engine-aware 350 ms + budget", engineAware: true };
export const ENGINE_AWARE: HedgeMode = { label: "engine-aware adaptive + budget", delay: ADAPTIVE, budgetShare: 0.15, engineAware: true, breaker: true };

/** The rows every scenario of the benchmark measures, baseline first. */
export const STANDARD_MODES: readonly HedgeMode[] = [
  NO_HEDGE,
  FIXED_350,
  FIXED_900,
  FIXED_350_BUDGET,
  ADAPTIVE_BUDGET,
  ENGINE_AWARE_350,
  ENGINE_AWARE,
];

/** The same mode without circuit breakers, to show what they are worth. */
export function withoutBreaker(mode: HedgeMode): HedgeMode {
  return { ...mode, label: `${mode.label}, no breaker`, breaker: false };
}
