// A pool serving real traffic for the observability specs: the mock engine over real HTTP, a config
// whose tasks between them hedge, time out, fall back, judge, weigh and break a circuit, and a
// bounded workload that repeats prompts (cache hits) and sends request_ids (idempotency).
import { startMockEngine } from "@llm-pool/mock-engine";
import { startTestPool, type MockEngine, type PoolUnderTest } from "../e2e/pool-harness.js";

export interface TrafficPool {
  readonly engine: MockEngine;
  readonly pool: PoolUnderTest;
  stop(): Promise<void>;
}

function toml(engineUrl: string): string {
  const provider = (name: string, model: string) => `
[[providers]]
name = "${name}"
driver = "ollama"
base_url = "${engineUrl}"
model = "${model}"
engine = "mock"
max_concurrency = 8
`;
  return `
[server]
listen = "127.0.0.1:0"
metrics_public = true
shutdown_grace_ms = 2000

[qos]
max_deadline_ms = 5000
default_deadline_ms = 3000
max_tokens_cap = 256
default_max_tokens = 24
hedge_after_ms = 60
hedge_budget_share = 1.0

[breaker]
window_size = 4
min_calls = 2
failure_rate = 0.5

[judge]
provider = "quick"
${provider("quick", "quick:1b")}
${provider("steady", "steady:1b")}
${provider("sluggish", "sluggish:1b")}
${provider("flaky", "flaky:1b")}

# FASTEST that hedges: the sluggish primary is passed by a hedge onto quick.
[tasks.expand_queries]
strategy = "FASTEST"
providers = ["sluggish", "quick"]
output = "text"

# VOTING between two models that answer alike.
[tasks.site_tactics]
strategy = "VOTING"
providers = ["quick", "steady"]
output = "text"

# JUDGE: the verdict decides, or it falls back to VOTING.
[tasks.rerank_candidates]
strategy = "JUDGE"
providers = ["quick", "steady"]
output = "text"

# Only the sluggish model within 300 ms: timeouts.
[tasks.recovery_plan]
strategy = "FASTEST"
providers = ["sluggish"]
deadline_ms = 300
hedge_after_ms = 250
output = "text"

# WEIGHTED with a provider that always fails: errors, an open breaker, win-rates.
[tasks.enrich_metadata]
strategy = "WEIGHTED"
providers = ["quick", "flaky"]
output = "text"
cache_ttl_ms = 0

[tasks.judge]
strategy = "FASTEST"
providers = ["quick"]
output = "text"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}

export async function startTrafficPool(): Promise<TrafficPool> {
  const engine = await startMockEngine({
    scenario: {
      seed: 3,
      slots: 8,
      models: {
        "quick:1b": { family: "same", latency: { kind: "fixed", ms: 5 } },
        "steady:1b": { family: "same", latency: { kind: "fixed", ms: 20 } },
        "sluggish:1b": { family: "same", latency: { kind: "fixed", ms: 700 } },
        "flaky:1b": { family: "other", latency: { kind: "fixed", ms: 5 }, faults: { probabilities: { http_500: 1 } } },
      },
    },
  });
  const pool = await startTestPool(toml(engine.url));
  return {
    engine,
    pool,
    async stop() {
      await pool.stop();
      await engine.close();
    },
  };
}

const TASKS = ["TASK_EXPAND_QUERIES", "TASK_SITE_TACTICS", "TASK_RERANK_CANDIDATES", "TASK_RECOVERY_PLAN", "TASK_ENRICH_METADATA", "TASK_JUDGE"];

/**
 * `rounds` of one query per task, four at a time, prompts drawn from a small set so repeats hit
 * the cache; every fifth skips the cache, every seventh carries a request_id and every fourth
 * asks for the answer as a REST event stream. Returns the HTTP statuses seen.
 */
export async function sendTraffic(url: string, rounds: number, seed = 0): Promise<number[]> {
  const queries: { body: Record<string, unknown>; stream: boolean }[] = [];
  for (let round = 0; round < rounds; round++) {
    TASKS.forEach((task, i) => {
      const n = round * TASKS.length + i + seed;
      queries.push({
        body: {
          task,
          prompt: `ambient playlist ${n % 3}`,
          ...(n % 5 === 0 ? { meta: { cache: "no-store" } } : {}),
          ...(n % 7 === 0 ? { requestId: `traffic-${seed}-${n}` } : {}),
        },
        stream: n % 4 === 2,
      });
    });
  }
  const statuses: number[] = [];
  for (let i = 0; i < queries.length; i += 4) {
    const batch = queries.slice(i, i + 4).map(async ({ body, stream }) => {
      const headers = { "content-type": "application/json", ...(stream ? { accept: "text/event-stream" } : {}) };
      const res = await fetch(`${url}/v1/infer`, { method: "POST", headers, body: JSON.stringify(body) });
      await res.arrayBuffer();
      statuses.push(res.status);
    });
    await Promise.all(batch);
  }
  return statuses;
}
