import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockEngine } from "@llm-pool/mock-engine";
import { createProviderPool } from "@llm-pool/providers";
import { createLogger } from "@llm-pool/telemetry";
import { Writable } from "node:stream";
import { startPool, type PoolOptions, type RunningPool } from "../../src/main.js";

export type MockEngine = Awaited<ReturnType<typeof startMockEngine>>;

/** Two Ollama models on one mock engine: `fast` answers at once, `slow` after `slowMs`. */
export async function startEngine(slowMs = 800): Promise<MockEngine> {
  return startMockEngine({
    scenario: {
      seed: 1,
      slots: 4,
      models: {
        "fast:1b": { family: "same", latency: { kind: "fixed", ms: 5 } },
        "slow:1b": { family: "same", latency: { kind: "fixed", ms: slowMs } },
      },
    },
  });
}

/** A config with the two models as providers; `extra` is appended (TOML). */
export function poolToml(engineUrl: string, extra = ""): string {
  return `
[server]
listen = "127.0.0.1:0"
shutdown_grace_ms = 5000

[qos]
max_deadline_ms = 5000
default_deadline_ms = 4000
max_prompt_bytes = 4096
max_tokens_cap = 256
default_max_tokens = 32
# Far above the mock's 5 ms, so a loaded test machine never turns a fast answer into a hedge.
hedge_after_ms = 2500

[[providers]]
name = "fast"
driver = "ollama"
base_url = "${engineUrl}"
model = "fast:1b"
engine = "mock"
max_concurrency = 4

[[providers]]
name = "slow"
driver = "ollama"
base_url = "${engineUrl}"
model = "slow:1b"
engine = "mock"

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["fast", "slow"]
output = "text"

[tasks.recovery_plan]
strategy = "FASTEST"
providers = ["slow"]
output = "text"

[tenancy]
auth = "none"
allow_unauthenticated = true
${extra}`;
}

export interface PoolUnderTest {
  readonly pool: RunningPool;
  readonly url: string;
  readonly configPath: string;
  readonly logs: () => Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts the assembled pool (real config, orchestrator, ensemble, providers, server) on a temp config. */
export async function startTestPool(toml: string, options: Partial<PoolOptions> = {}): Promise<PoolUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-e2e-"));
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, toml);
  const lines: string[] = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).trim().split("\n"));
        done();
      },
    }),
  });
  const pool = await startPool({ configPath, env: {}, logger, providers: createProviderPool, ...options });
  // Queries in tests start on warm models, as they do in a pool that has been up for a while.
  await pool.warmedUp();
  return {
    pool,
    url: `http://127.0.0.1:${pool.port}`,
    configPath,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` holds, polling every 20 ms; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
