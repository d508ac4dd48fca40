// R-CACHE-1 and R-CACHE-2 across two pool processes sharing one real Redis
// ([cache] driver = "redis"), against one mock engine that counts calls.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createProviderPool } from "@llm-pool/providers";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { createLogger } from "@llm-pool/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool, type RunningPool } from "../../src/main.js";
import { poolToml, startEngine, type MockEngine } from "./pool-harness.js";

let engine: MockEngine;
let redis: RedisProcess;
let dir: string;
const pools: RunningPool[] = [];

beforeAll(async () => {
  engine = await startEngine(300);
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "llm-pool-cache-redis-"));
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, poolToml(engine.url, '\n[cache]\ndriver = "redis"\nredis_url_env = "LLMPOOL_REDIS_URL"\n'));
  const silent = () => createLogger({ destination: new Writable({ write: (_chunk, _enc, done) => done() }) });
  for (let i = 0; i < 2; i++) {
    pools.push(await startPool({ configPath, env: { LLMPOOL_REDIS_URL: redis.url }, logger: silent(), providers: createProviderPool }));
  }
});
afterAll(async () => {
  for (const pool of pools) await pool.close();
  await redis?.stop();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function infer(pool: RunningPool, body: Record<string, unknown>) {
  const res = await fetch(`http://127.0.0.1:${pool.port}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

const engineCalls = (tag: string) => engine.record().filter((e) => e.prompt?.preview.startsWith(tag)).length;

describe("two pools sharing one Redis", () => {
  it("R-CACHE-1: an answer cached by one pool is a hit on the other", async () => {
    const [a, b] = pools as [RunningPool, RunningPool];
    const query = { task: "TASK_EXPAND_QUERIES", prompt: "redis-e2e-1 dusk ambient" };
    await infer(a, query);
    const other = await infer(b, query);
    expect(other.body.fromCache).toBe(true);
    expect(engineCalls("redis-e2e-1")).toBe(1);
  });

  it("R-CACHE-2: concurrent duplicates of one request_id spread over both pools call the engine once, same bytes", async () => {
    const query = { task: "TASK_RECOVERY_PLAN", prompt: "redis-e2e-2 packet loss", requestId: "redis-e2e-2", meta: { cache: "no-store" } };
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => infer(pools[i % 2]!, query)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(engineCalls("redis-e2e-2")).toBe(1);
  });

  it("R-CACHE-2: the other pool refuses the same request_id with a different query", async () => {
    const [a, b] = pools as [RunningPool, RunningPool];
    await infer(a, { task: "TASK_EXPAND_QUERIES", prompt: "redis-e2e-3 one", requestId: "redis-e2e-3" });
    const refused = await infer(b, { task: "TASK_EXPAND_QUERIES", prompt: "redis-e2e-3 two", requestId: "redis-e2e-3" });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("conflict");
  });
});
