import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import type { HedgingMode } from "./hedging-modes.js";
import type { HedgingScenario } from "./hedging-scenario.js";

export const HEDGING_TASK = "expand_queries";

/** The pool's config for one scenario and mode: the example config's Mac mini, FASTEST over the scenario's models. */
export function hedgingConfigToml(scenario: HedgingScenario, mode: HedgingMode): string {
  const providers = scenario.models
    .map(
      (m) => `
[[providers]]
name = "${m.provider}"
driver = "ollama"
base_url = "http://${m.engine}.invalid:11434"
model = "${m.model}"
engine = "${m.engine}"
max_concurrency = ${scenario.engines.find((e) => e.name === m.engine)!.slots}
tasks = ["${HEDGING_TASK}"]
`,
    )
    .join("");
  return `
[qos]
max_deadline_ms = ${scenario.deadlineMs}
default_deadline_ms = ${scenario.deadlineMs}
hedge_after_ms = ${mode.hedgeAfterMs}
hedge_mode = "${mode.hedgeMode}"
hedge_budget_share = ${mode.budgetShare}
deadline_margin_ms = 30

[cache]
enabled = false
${providers}
[tasks.${HEDGING_TASK}]
strategy = "FASTEST"
providers = [${scenario.models.map((m) => `"${m.provider}"`).join(", ")}]
max_tokens = ${Math.max(16, scenario.answerTokens)}
output = "json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}

export function hedgingConfig(scenario: HedgingScenario, mode: HedgingMode): Promise<ConfigSnapshot> {
  return parseConfig(hedgingConfigToml(scenario, mode), { baseDir: process.cwd(), env: {}, path: "hedging-bench.toml" });
}
