import { CONFIG_DEFAULTS } from "@llm-pool/config";
import { ensembleSettingsOf, type EnsemblePlan, type EnsembleSettings } from "@llm-pool/core";

/** The config's own defaults (read off its schema), for plans that carry no settings. */
export const DEFAULT_ENSEMBLE_SETTINGS: EnsembleSettings = Object.freeze(
  ensembleSettingsOf(CONFIG_DEFAULTS, CONFIG_DEFAULTS.maxParallelProviders, Object.freeze({})),
);

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
