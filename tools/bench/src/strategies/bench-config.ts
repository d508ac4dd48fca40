import { fileURLToPath } from "node:url";
import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { BENCH_MODELS, ENGINE_SLOTS, JUDGE_PROVIDER } from "./strategy-scenarios.js";

/** The task every strategy runs: the example config's query expansion, with its prompt and schema. */
export const BENCH_TASK = "expand_queries";

export interface BenchConfigOptions {
  /** The mock engine's base URL (loopback). */
  readonly engineUrl: string;
  /** The task's deadline; the ensemble gets it minus `deadline_margin_ms`, as in the pool. */
  readonly deadlineMs: number;
  readonly hedgeAfterMs: number;
}

// Prompt and schema paths in the config are relative to the repository root.
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * The pool's config for one strategy's engine: the example config's Mac mini
 * (one engine, two slots, three models, llama3.1 as the judge, its breaker and
 * QoS settings), with every model serving the bench task so that each
 * strategy sees the same three providers in the same order.
 */
export function benchConfigToml(options: BenchConfigOptions): string {
  const providers = BENCH_MODELS.map(
    (m) => `
[[providers]]
name = "${m.provider}"
driver = "ollama"
base_url = "${options.engineUrl}"
model = "${m.model}"
engine = "mac-mini"
max_concurrency = ${ENGINE_SLOTS}
keep_alive = "30m"
tasks = ["${BENCH_TASK}", "judge"]
weight = ${m.weight}
`,
  ).join("");
  return `
[qos]
max_deadline_ms = ${options.deadlineMs}
default_deadline_ms = ${options.deadlineMs}
hedge_after_ms = ${options.hedgeAfterMs}
deadline_margin_ms = 30
judge_share = 0.3

[ensemble]
similarity_threshold = 0.8
consensus_threshold = 0.66

[breaker]
window_size = 50
failure_rate = 0.10
min_calls = 10
open_ms = 300000
half_open_probes = 1

[judge]
provider = "${JUDGE_PROVIDER}"
max_tokens = 128
fallback = "VOTING"
${providers}
[tasks.${BENCH_TASK}]
strategy = "FASTEST"
providers = [${BENCH_MODELS.map((m) => `"${m.provider}"`).join(", ")}]
max_tokens = 256
temperature = 0.3
output = "json_schema"
prompt_file = "prompts/expand_queries.md"
schema_file = "prompts/schemas/expand_queries.json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}

export function benchConfig(options: BenchConfigOptions): Promise<ConfigSnapshot> {
  return parseConfig(benchConfigToml(options), { baseDir: REPO_ROOT, env: {}, path: "bench.toml" });
}
