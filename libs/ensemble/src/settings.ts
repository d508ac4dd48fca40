import type { EnsemblePlan, EnsembleSettings } from "@llm-pool/core";

/** The config's own defaults, for plans that carry no settings. */
export const DEFAULT_ENSEMBLE_SETTINGS: EnsembleSettings = Object.freeze({
  similarityThreshold: 0.8,
  consensusThreshold: 0.66,
  judgeShare: 0.3,
  judgeProvider: null,
  judgeMaxTokens: 128,
  judgeFallback: "VOTING",
  maxParallel: 3,
  weights: Object.freeze({}),
  hedgeMode: "fixed",
  hedgePercentile: 0.9,
});

/** The settings a plan runs with: its own, over `base`. */
export function settingsOf(plan: EnsemblePlan, base: EnsembleSettings = DEFAULT_ENSEMBLE_SETTINGS): EnsembleSettings {
  const own = plan.ensemble;
  if (!own) return base;
  const merged = { ...base };
  for (const [key, value] of Object.entries(own)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
