// Test support for this package's specs (never built, never imported from src/): a config, a counting ensemble and
// the real orchestrator with the cache and idempotency stages in it.
import { create } from "@bufbuild/protobuf";
import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { QuerySchema, Task, type Query } from "@llm-pool/contract";
import {
  Code,
  FakeClock,
  Orchestrator,
  PoolError,
  type AnswerCache,
  type CallContext,
  type Clock,
  type Ensemble,
  type EnsembleOutcome,
  type EnsemblePlan,
  type IdempotencyGuard,
  type Provider,
  type ProviderPool,
} from "@llm-pool/core";

export const SPEC_TOML = `
[qos]
max_deadline_ms = 1500
default_deadline_ms = 1000
max_prompt_bytes = 4096
max_tokens_cap = 512
default_max_tokens = 100

[cache]
default_ttl_ms = 60000
max_entries = 1000
max_bytes = 1048576
idempotency_ttl_ms = 600000

[[providers]]
name = "fast"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[tasks.expand_queries]
output = "json"

[tasks.site_tactics]
output = "text"
cache_ttl_ms = 5000

[tasks.recovery_plan]
output = "text"
cache_ttl_ms = 0

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

export function specConfig(toml = SPEC_TOML): Promise<ConfigSnapshot> {
  return parseConfig(toml, { baseDir: "/tmp", env: { LLMPOOL_REDIS_URL: "redis://127.0.0.1:1" } });
}

export const query = (init: Parameters<typeof create<typeof QuerySchema>>[1] = {}): Query =>
  create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "cinematic lounge", ...init });

const provider: Provider = {
  name: "fast",
  driver: "ollama",
  model: "phi3:mini",
  engine: "e",
  supports: () => true,
  infer: () => Promise.reject(new Error("the counting ensemble never calls providers")),
};

/**
 * An ensemble that counts its runs and answers like a one-candidate FASTEST
 * (JSON tasks get a JSON answer). `hold()` parks every run until released;
 * `failNext` makes the next runs fail; `shape` rewrites the next outcomes.
 */
export class CountingEnsemble implements Ensemble {
  runs = 0;
  plans: EnsemblePlan[] = [];
  failNext: PoolError[] = [];
  shape: ((outcome: EnsembleOutcome) => EnsembleOutcome) | undefined;
  #gate: Promise<void> | undefined;

  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  async run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
    this.runs += 1;
    this.plans.push(plan);
    if (this.#gate) {
      const gate = this.#gate;
      await new Promise<void>((resolve, reject) => {
        plan.deadline.signal.addEventListener("abort", () => reject(plan.deadline.signal.reason as Error), { once: true });
        void gate.then(resolve);
      });
    }
    const failure = this.failNext.shift();
    if (failure) throw failure;
    const text = plan.request.output.kind === "text" ? `answer ${this.runs} to ${plan.request.prompt}` : JSON.stringify({ terms: [plan.request.prompt], run: this.runs });
    const outcome: EnsembleOutcome = {
      strategyApplied: plan.strategy,
      output: text,
      winnerId: "c1",
      candidates: [{ id: "c1", provider: "fast", model: "phi3:mini", latencyMs: 40, status: "ok", score: 1, hedged: false, usage: { promptTokens: 11, completionTokens: 5 } }],
      fallbacks: [],
      agreement: 0,
      hedges: 0,
    };
    return this.shape ? this.shape(outcome) : outcome;
  }
}

export interface PipelineOptions<C extends Clock> {
  readonly config: ConfigSnapshot | (() => ConfigSnapshot);
  readonly cache?: AnswerCache;
  readonly idempotency?: IdempotencyGuard;
  readonly clock?: C;
  readonly ensemble?: CountingEnsemble;
}

/** The real orchestrator with the stages under test and a counting ensemble. */
export function pipeline<C extends Clock = FakeClock>(options: PipelineOptions<C>) {
  const clock = options.clock ?? (new FakeClock() as Clock as C);
  const ensemble = options.ensemble ?? new CountingEnsemble();
  const providers: ProviderPool = { forTask: () => [provider], health: () => [], named: () => undefined };
  const config = typeof options.config === "function" ? options.config : () => options.config as ConfigSnapshot;
  let ids = 0;
  const orchestrator = new Orchestrator({
    config,
    providers,
    ensemble,
    clock,
    newId: () => `generated-${++ids}`,
    ...(options.cache && { cache: options.cache }),
    ...(options.idempotency && { idempotency: options.idempotency }),
  });
  const infer = (q: Query, ctx: Partial<CallContext> = {}) => orchestrator.infer(q, { signal: new AbortController().signal, ...ctx });
  return { clock, ensemble, orchestrator, infer };
}

/** The PoolError a promise rejects with. */
export async function refusalOf(promise: Promise<unknown>): Promise<PoolError> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (e: unknown) => e,
  );
  if (!(error instanceof PoolError)) throw error;
  return error;
}

export { Code };
