import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { startMockEngine } from "@llm-pool/mock-engine";
import { systemClock } from "@llm-pool/core";
import { createProviderPool } from "@llm-pool/providers";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { utcDay } from "@llm-pool/security";
import { createLogger } from "@llm-pool/telemetry";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool, type RunningPool } from "../../src/main.js";
import type { MockEngine } from "../e2e/pool-harness.js";
import { inferBody, SECRET_A, signedInfer } from "./security-fixture.js";

const TOKENS_PER_DAY = 60;
/** Each query reserves this much; its prompt alone (the task's system prompt and the text) counts more. */
const MAX_TOKENS = 10;

const toml = (engineUrl: string) => `
[server]
listen = "127.0.0.1:0"

[[providers]]
name = "steady"
driver = "ollama"
base_url = "${engineUrl}"
model = "steady:1b"
engine = "mock"
max_concurrency = 16

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["steady"]
output = "text"

[cache]
enabled = false

[tenancy]
auth = "hmac"
nonce_store = "redis"
rate_limit_store = "redis"
redis_url_env = "LLMPOOL_REDIS_URL"

[tenancy.tenants.vvtv]
projects = ["planner"]
keys = [{ id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" }]
rate_burst = 1000
tokens_per_day = ${TOKENS_PER_DAY}
`;

describe("daily tokens under concurrency: reserve max_tokens at admission, settle the real usage after (R-SEC-6)", () => {
  let engine: MockEngine;
  let redis: RedisProcess;
  let counters: Redis;
  let pool: RunningPool;
  let dir: string;
  const target = () => ({ baseUrl: `http://127.0.0.1:${pool.port}`, clock: systemClock });

  beforeAll(async () => {
    // Slow enough that every concurrent query is admitted before the first one answers.
    engine = await startMockEngine({
      scenario: { seed: 1, slots: 16, models: { "steady:1b": { family: "same", latency: { kind: "fixed", ms: 300 } } } },
    });
    redis = await startRedis();
    counters = createFailFastRedis(redis.url, { commandTimeoutMs: 2_000 });
    await redisReady(counters);
    dir = mkdtempSync(join(tmpdir(), "llm-pool-quota-"));
    const configPath = join(dir, "llm-pool.toml");
    writeFileSync(configPath, toml(engine.url));
    const env = { LLMPOOL_REDIS_URL: redis.url, LLMPOOL_KEY_VVTV_A: SECRET_A };
    pool = await startPool({ configPath, env, providers: createProviderPool, logger: silentLogger });
  });
  afterAll(async () => {
    await pool.close();
    counters.disconnect();
    await redis.stop();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`R-SEC-6: of 8 concurrent queries at ${TOKENS_PER_DAY} tokens/day and max_tokens ${MAX_TOKENS}, no more are answered than the quota holds; the day counts exactly what the answers used`, async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signedInfer(target(), { body: inferBody(`gatos ${i}`, { maxTokens: MAX_TOKENS }) })),
    );
    const answered = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(answered.length + refused.length, results.map((r) => `${r.status} ${r.text}`).join("\n")).toBe(8);
    // Each admitted query holds at least MAX_TOKENS of the day from admission on, so at most 60 / 10 are admitted.
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThanOrEqual(TOKENS_PER_DAY / MAX_TOKENS);
    for (const r of refused) {
      expect(r.json()).toMatchObject({ code: "resource_exhausted" });
      // Refused by the reservation (these all passed the edge's check of the day): still told when to come back.
      expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
    }

    // Every reservation was settled exactly once: the counter is the answers' own usage, nothing reserved is left.
    const used = answered
      .map((r) => r.json<{ totalUsage: { promptTokens: number; completionTokens: number } }>().totalUsage)
      .reduce((sum, u) => sum + u.promptTokens + u.completionTokens, 0);
    expect(Number(await counters.get(`llmpool:tokens:vvtv:${utcDay(Date.now())}`))).toBe(used);
  });

  it("R-SEC-6: once the day's count reaches tokens_per_day, the next query is refused with Retry-After before any engine runs", async () => {
    const generations = () => engine.record().filter((e) => e.route === "/api/chat" || e.route === "/api/generate").length;
    const before = generations();
    const refused = await signedInfer(target(), { body: inferBody("one more", { maxTokens: MAX_TOKENS }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(generations()).toBe(before);
  });
});

const silentLogger = createLogger({ destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
