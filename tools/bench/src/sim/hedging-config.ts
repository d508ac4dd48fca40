import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { fastestTaskToml, type BenchProvider } from "../config-toml.js";
import type { HedgingMode } from "./hedging-modes.js";
import type { HedgingScenario } from "./hedging-scenario.js";

export const HEDGING_TASK = "expand_queries";

/** The pool's config for one scenario and mode: the example config's Mac mini, FASTEST over the scenario's models. */
export function hedgingConfigToml(scenario: HedgingScenario, mode: HedgingMode): string {
  const providers: BenchProvider[] = scenario.models.map((m) => ({
    name: m.provider,
    model: m.model,
    engine: m.engine,
    baseUrl: `http://${m.engine}.invalid:11434`,
    maxConcurrency: scenario.engines.find((e) => e.name === m.engine)!.slots,
  }));
  return `
[qos]
max_deadline_ms = ${scenario.deadlineMs}
default_deadline_ms = ${scenario.deadlineMs}
hedge_after_ms = ${mode.hedgeAfterMs}
hedge_mode = "${mode.hedgeMode}"
hedge_budget_share = ${mode.budgetShare}
deadline_margin_ms = 30
${fastestTaskToml(HEDGING_TASK, providers, Math.max(16, scenario.answerTokens))}`;
}

export function hedgingConfig(scenario: HedgingScenario, mode: HedgingMode): Promise<ConfigSnapshot> {
  return parseConfig(hedgingConfigToml(scenario, mode), { baseDir: process.cwd(), env: {}, path: "hedging-bench.toml" });
}
