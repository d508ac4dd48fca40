/** One Ollama provider of a bench pool's config, serving one task. */
export interface BenchProvider {
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly baseUrl: string;
  /** `max_concurrency`; undefined: the driver's default. */
  readonly maxConcurrency?: number;
}

/** The `[[providers]]` tables of `providers`, each serving `task`. */
export function providersToml(providers: readonly BenchProvider[], task: string): string {
  return providers
    .map(
      (p) => `
[[providers]]
name = "${p.name}"
driver = "ollama"
base_url = "${p.baseUrl}"
model = "${p.model}"
engine = "${p.engine}"
${p.maxConcurrency === undefined ? "" : `max_concurrency = ${p.maxConcurrency}`}
tasks = ["${task}"]
`,
    )
    .join("");
}

/** `task` as FASTEST over `providers` in order, JSON output, and a pool open to every client (no auth, no cache). */
export function fastestTaskToml(task: string, providers: readonly BenchProvider[], maxTokens: number): string {
  return `
[cache]
enabled = false
${providersToml(providers, task)}
[tasks.${task}]
strategy = "FASTEST"
providers = [${providers.map((p) => `"${p.name}"`).join(", ")}]
max_tokens = ${maxTokens}
output = "json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}
