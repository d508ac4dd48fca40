import { createHash } from "node:crypto";
import { startMockEngine, type RecordEntry } from "@llm-pool/mock-engine";
import { startTestPool, type MockEngine, type PoolUnderTest } from "../e2e/pool-harness.js";

/** Bearer API keys of the door tests: the config holds only their SHA-256. */
export const KEYS = {
  /** Tenant vvtv (projects planner, curator), generous limits. */
  vvtv: "sk-pool-vvtv-3f9c1d0e6b2a47d8a1c5e9f0b7d3a6c2e8f1b4d7a0c3e6f9",
  /** Tenant tight: one request, then 429 for a long while. */
  tight: "sk-pool-tight-0b1c2d3e4f5061728394a5b6c7d8e9f00f1e2d3c4b5a6978",
  /** Tenant lab (project bench), generous limits: another tenant beside vvtv. */
  lab: "sk-pool-lab-5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d",
  /** Tenant budget: 150 tokens a day, spent after a few queries. */
  budget: "sk-pool-budget-7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
  /** Tenant off: switched off by its operator (enabled = false). */
  off: "sk-pool-off-1f2e3d4c5b6a79880f1e2d3c4b5a69788796a5b4c3d2e1f0",
} as const;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * What the engine answers, 10 words each, streamed word by word: the fast model over 50 ms, the
 * slow one over 800 ms, the paced one over 2 s (a word every 200 ms, for tests that act mid-stream).
 */
export async function startDoorEngine(): Promise<MockEngine> {
  return startMockEngine({
    scenario: {
      seed: 1,
      slots: 8,
      models: {
        "fast:1b": { family: "same", latency: { kind: "fixed", ms: 50 }, answers: { mode: "echo-hash", words: 10 } },
        "slow:1b": { family: "same", latency: { kind: "fixed", ms: 800 }, answers: { mode: "echo-hash", words: 10 } },
        "paced:1b": { family: "same", latency: { kind: "fixed", ms: 2000 }, answers: { mode: "echo-hash", words: 10 } },
      },
    },
  });
}

/** A pool with both doors open, bearer-key tenants, one profile, a JUDGE-free ensemble of two engines. */
export function doorsToml(engineUrl: string): string {
  return `
[server]
listen = "127.0.0.1:0"
ollama_listen = "127.0.0.1:0"
shutdown_grace_ms = 2000

[qos]
max_deadline_ms = 5000
default_deadline_ms = 4000
max_tokens_cap = 256
default_max_tokens = 64
hedge_after_ms = 2500

[[providers]]
name = "fast"
driver = "ollama"
base_url = "${engineUrl}"
model = "fast:1b"
engine = "mock-a"
max_concurrency = 4

[[providers]]
name = "slow"
driver = "ollama"
base_url = "${engineUrl}"
model = "slow:1b"
engine = "mock-b"
max_concurrency = 4

[[providers]]
name = "paced"
driver = "ollama"
base_url = "${engineUrl}"
model = "paced:1b"
engine = "mock-c"
max_concurrency = 4

[profiles.QUICK]
strategy = "FASTEST"
providers = ["fast", "slow"]

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["fast", "slow"]
output = "text"

[tasks.enrich_metadata]
strategy = "VOTING"
providers = ["fast", "slow"]
output = "text"

[tasks.rerank_candidates]
profile = "QUICK"
output = "text"

[tasks.site_tactics]
strategy = "FASTEST"
providers = ["paced"]
output = "text"

[tasks.judge]
enabled = false

[tasks.recovery_plan]
enabled = false

[tenancy]
auth = "hmac"

[tenancy.tenants.vvtv]
projects = ["planner", "curator"]
api_keys = [{ id = "owui-a", sha256 = "${sha256(KEYS.vvtv)}" }]
rate_rps = 1000
rate_burst = 1000

[tenancy.tenants.tight]
projects = ["ops"]
api_keys = [{ id = "tight-a", sha256 = "${sha256(KEYS.tight)}" }]
rate_rps = 0.01
rate_burst = 1

[tenancy.tenants.lab]
projects = ["bench"]
api_keys = [{ id = "lab-a", sha256 = "${sha256(KEYS.lab)}" }]
rate_rps = 1000
rate_burst = 1000

[tenancy.tenants.budget]
projects = ["lean"]
api_keys = [{ id = "budget-a", sha256 = "${sha256(KEYS.budget)}" }]
rate_rps = 1000
rate_burst = 1000
tokens_per_day = 150

[tenancy.tenants.off]
projects = ["gone"]
enabled = false
api_keys = [{ id = "off-a", sha256 = "${sha256(KEYS.off)}" }]
`;
}

export interface DoorsPool {
  readonly engine: MockEngine;
  readonly pool: PoolUnderTest;
  /** The main port: the OpenAI door's base URL is `${url}/v1`. */
  readonly url: string;
  /** The Ollama door. */
  readonly ollamaUrl: string;
  stop(): Promise<void>;
}

export async function startDoorsPool(): Promise<DoorsPool> {
  const engine = await startDoorEngine();
  const pool = await startTestPool(doorsToml(engine.url));
  return {
    engine,
    pool,
    url: pool.url,
    ollamaUrl: `http://127.0.0.1:${pool.pool.ollamaPort}`,
    async stop() {
      await pool.stop();
      await engine.close();
    },
  };
}

/** The generate calls the engine saw (the door tests share one engine; a test reads its own tail). */
export function generations(engine: MockEngine): number {
  return engine.record().filter((entry) => entry.route === "/api/chat" && entry.prompt).length;
}

/** The engine requests of the paced model (task site_tactics), in arrival order: a test's own are those after the count it took first. */
export function pacedCalls(source: MockEngine | readonly RecordEntry[]): RecordEntry[] {
  const entries = "record" in source ? source.record() : source;
  return entries.filter((entry) => entry.model === "paced:1b" && entry.prompt);
}
