// R-QOS-4 on the assembled pool over real HTTP: nothing a client sends (a short deadline, its own schema)
// opens a breaker every tenant shares; a broken engine still does. The pool and the mock engine share one
// FakeClock, so an engine answer takes exactly the time the test lets pass.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { FakeClock } from "@llm-pool/core";
import { startMockEngine, type Clock as EngineClock, type MockEngine, type RecordEntry } from "@llm-pool/mock-engine";
import { createProviderPool } from "@llm-pool/providers";
import { createLogger } from "@llm-pool/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool, type RunningPool } from "../../src/main.js";

const clock = new FakeClock();
let engine: MockEngine;
let pool: RunningPool;
let url: string;
let dir: string;
const logs: Record<string, unknown>[] = [];

/** The engine sleeps on the pool's FakeClock. */
const engineClock: EngineClock = {
  now: () => clock.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = clock.setTimer(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

const toml = (engineUrl: string) => `
[server]
listen = "127.0.0.1:0"

[qos]
max_deadline_ms = 5000
default_deadline_ms = 2000
hedge_after_ms = 1500

[breaker]
window_size = 50
failure_rate = 0.1
min_calls = 2

[[providers]]
name = "phi3"
driver = "ollama"
base_url = "${engineUrl}"
model = "phi3:mini"
engine = "mac-mini"
max_concurrency = 16

[[providers]]
name = "llama"
driver = "ollama"
base_url = "${engineUrl}"
model = "llama3.1:8b"
engine = "mac-mini"

[[providers]]
name = "broken"
driver = "ollama"
base_url = "${engineUrl}"
model = "broken:1b"
engine = "broken-box"

[[providers]]
name = "solo"
driver = "ollama"
base_url = "${engineUrl}"
model = "solo:1b"
engine = "solo-box"
max_concurrency = 1

[tasks.rerank_candidates]
strategy = "FASTEST"
providers = ["solo"]
output = "json"

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["phi3", "llama"]
output = "json"

[tasks.recovery_plan]
strategy = "FASTEST"
providers = ["broken"]
output = "json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

beforeAll(async () => {
  engine = await startMockEngine({
    clock: engineClock,
    scenario: {
      seed: 3,
      slots: 16,
      models: {
        // A healthy engine that answers in one second.
        "phi3:mini": { latency: { kind: "fixed", ms: 1000 } },
        "llama3.1:8b": { latency: { kind: "fixed", ms: 1000 } },
        "solo:1b": { latency: { kind: "fixed", ms: 1000 } },
        // A truly broken one: every call is an HTTP 500 or a reset connection.
        "broken:1b": { faults: { probabilities: { http_500: 0.5, reset: 0.5 } } },
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), "llm-pool-overload-"));
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, toml(engine.url));
  const logger = createLogger({
    destination: new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).trim().split("\n")) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  });
  pool = await startPool({ configPath, env: {}, logger, clock, providers: createProviderPool });
  await pool.warmedUp();
  url = `http://127.0.0.1:${pool.port}`;
});
afterAll(async () => {
  await pool?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | null;
}

function infer(body: Record<string, unknown>): Promise<Reply> {
  return fetch(`${url}/v1/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown>, retryAfter: res.headers.get("retry-after") }),
  );
}

/** Waits (real time, bounded) until the engine holds `count` calls to `model` in progress. */
function pendingAt(model: string, count: number): Promise<RecordEntry[]> {
  return engine.waitForRecord((entries) => entries.filter((e) => e.model === model && e.fate === "pending").length >= count);
}

/** Breakers that opened, as "provider/task", from the pool's own log. */
function opened(): string[] {
  return logs.filter((l) => l.msg === "circuit breaker" && l.to === "open").map((l) => `${String(l.provider)}/${String(l.task)}`);
}

describe("R-QOS-4 short deadlines and client schemas cannot take a healthy provider away", () => {
  it("nine requests with deadline_ms = 300 to an engine that answers in 1 s leave the breaker closed; a 2 s request is then served", async () => {
    const short = Array.from({ length: 9 }, (_, i) => infer({ task: "TASK_EXPAND_QUERIES", prompt: `short ${i}`, deadlineMs: 300 }));
    await pendingAt("phi3:mini", 9);
    await clock.advance(300);
    const replies = await Promise.all(short);
    expect(replies.map((r) => r.status)).toEqual(Array(9).fill(504));
    expect(opened()).toEqual([]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('llmpool_call_end_total{provider="phi3",task="expand_queries",end="caller_gave_up"} 9');
    expect(metrics).toContain('llmpool_engine_max_concurrency{engine="mac-mini"} 16');

    const ordinary = infer({ task: "TASK_EXPAND_QUERIES", prompt: "ordinary", deadlineMs: 2000 });
    await engine.waitForRecord((entries) => entries.some((e) => e.fate === "pending" && e.prompt?.preview === "ordinary"));
    await clock.advance(1000);
    const reply = await ordinary;
    expect(reply.status).toBe(200);
    expect(reply.body.winnerProvider).toBe("phi3");
  });

  it("R-QOS-4: many queries with an unsatisfiable client schema leave the breaker closed and other tenants served", async () => {
    const output = { kind: "OUTPUT_KIND_JSON_SCHEMA", jsonSchema: JSON.stringify({ not: {} }) };
    for (let round = 0; round < 3; round++) {
      const attacks = Array.from({ length: 5 }, (_, i) => infer({ task: "TASK_EXPAND_QUERIES", prompt: `schema ${round}.${i}`, output, deadlineMs: 3000 }));
      // Each query tries phi3, then (its answer refused) llama: both answer in 1 s, neither satisfies `not {}`.
      await pendingAt("phi3:mini", 5);
      await clock.advance(1000);
      await pendingAt("llama3.1:8b", 5);
      await clock.advance(1000);
      for (const reply of await Promise.all(attacks)) expect(reply).toMatchObject({ status: 503 });
    }
    expect(opened()).toEqual([]);

    const other = infer({ task: "TASK_EXPAND_QUERIES", prompt: "another tenant's ordinary query" });
    await pendingAt("phi3:mini", 1);
    await clock.advance(1000);
    const reply = await other;
    expect(reply.status).toBe(200);
    expect(reply.body.winnerProvider).toBe("phi3");
  });

  it("a truly broken engine (HTTP 500s and resets) still opens its breaker", async () => {
    for (let i = 0; i < 2; i++) {
      const reply = await infer({ task: "TASK_RECOVERY_PLAN", prompt: `incident ${i}` });
      expect(reply.status).toBe(503);
    }
    expect(opened()).toEqual(["broken/recovery_plan"]);
    // R-API-4: the next query is told why no provider is available.
    const after = await infer({ task: "TASK_RECOVERY_PLAN", prompt: "after" });
    expect(after.status).toBe(503);
    expect(after.body.message).toBe("no provider is available for task recovery_plan: broken: circuit breaker open; next probe in 5 s");
  });
});

describe("R-QOS-5 deadline-aware admission over HTTP", () => {
  it("refuses at once with 429 resource_exhausted and Retry-After, naming the engine, a query that would wait past its deadline", async () => {
    // Three answers teach the pool that solo:1b takes one second on its one-slot engine.
    for (let i = 0; i < 3; i++) {
      const reply = infer({ task: "TASK_RERANK_CANDIDATES", prompt: `train ${i}`, deadlineMs: 3000 });
      await pendingAt("solo:1b", 1);
      await clock.advance(1000);
      expect((await reply).status).toBe(200);
    }
    const running = infer({ task: "TASK_RERANK_CANDIDATES", prompt: "holds the slot", deadlineMs: 3000 });
    await pendingAt("solo:1b", 1);
    const calls = engine.record().length;
    // One second of wait and one of work cannot fit in 1.5 s: refused without touching the engine.
    const refused = await infer({ task: "TASK_RERANK_CANDIDATES", prompt: "too late", deadlineMs: 1500 });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("resource_exhausted");
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(String(refused.body.message)).toMatch(/^no provider can answer task rerank_candidates in time; retry after \d+ s: solo: saturated \(engine solo-box is saturated: /);
    expect(engine.record().length).toBe(calls);
    await clock.advance(1000);
    expect((await running).status).toBe(200);
    expect(opened()).not.toContain("solo/rerank_candidates");
  });
});
