import { parseConfig } from "@llm-pool/config";
import { FakeClock } from "@llm-pool/core";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryWinRateStore } from "./memory.js";
import { RedisWinRateStore } from "./redis.js";
import { winRateSamples, winRatesFromConfig } from "./from-config.js";

const CONFIG = `
[ensemble]
win_rate_half_life_ms = 60000

[[providers]]
name = "small"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[[providers]]
name = "big"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "llama3.1:8b"

[tasks.site_tactics]
providers = ["small", "big"]

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

const REDIS_CONFIG = CONFIG.replace(
  "[ensemble]",
  '[ensemble]\nwin_rate_store = "redis"\nwin_rate_redis_url_env = "LLMPOOL_WIN_RATE_REDIS_URL"',
);

describe("the win-rate store from [ensemble] (R-ENS-3)", () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it('"memory" builds the in-process store with the configured half-life', async () => {
    const config = await parseConfig(CONFIG, { baseDir: "/tmp", env: {} });
    const clock = new FakeClock();
    const built = winRatesFromConfig(config, { env: {}, clock });
    expect(built.kind).toBe("memory");
    expect(built.store).toBeInstanceOf(MemoryWinRateStore);
    for (let i = 0; i < 4; i++) await built.store.record("site_tactics", ["small"], []);
    await clock.advance(60_000);
    // 4 of 4 weigh 2 of 2 after one half-life of 60 s.
    expect(built.rate("site_tactics", "small")).toBe(3 / 4);
    await built.close();
  });

  it('"redis" builds a Redis store from the URL in win_rate_redis_url_env, with the configured half-life', async () => {
    const env = { LLMPOOL_WIN_RATE_REDIS_URL: server.url };
    const config = await parseConfig(REDIS_CONFIG, { baseDir: "/tmp", env });
    const clock = new FakeClock();
    const built = winRatesFromConfig(config, { env, clock });
    try {
      expect(built.kind).toBe("redis");
      expect(built.store).toBeInstanceOf(RedisWinRateStore);
      const store = built.store as RedisWinRateStore;
      // The client connects in the background; until it is ready writes are dropped (never failed) and Redis
      // is skipped for a second after each.
      await expect
        .poll(async () => {
          const dropped = store.droppedWrites;
          await clock.advance(1_000);
          await store.record("site_tactics", ["small"], []);
          return store.droppedWrites === dropped;
        })
        .toBe(true);
      expect(built.rate("site_tactics", "small")).toBeCloseTo(2 / 3, 12);
      await clock.advance(60_000);
      await store.refresh();
      // One decision weighs half after one 60 s half-life.
      expect(built.rate("site_tactics", "small")).toBeCloseTo(1.5 / 2.5, 12);
    } finally {
      await built.close();
    }
  });

  it("R-ENS-3: the Redis client and the store wait [redis] command_timeout_ms: a Redis stalled past the old fixed 150 ms but within it loses no write", async () => {
    const env = { LLMPOOL_WIN_RATE_REDIS_URL: server.url };
    const config = await parseConfig(`[redis]\ncommand_timeout_ms = 5000\n${REDIS_CONFIG}`, { baseDir: "/tmp", env });
    const errors: unknown[] = [];
    const clock = new FakeClock();
    const built = winRatesFromConfig(config, { env, clock, onError: (error) => errors.push(error) });
    const store = built.store as RedisWinRateStore;
    try {
      await built.ready(5_000);
      // The first load may have run before the client connected, and Redis is skipped for a second after it.
      await clock.advance(1_000);
      await store.refresh();
      errors.length = 0;
      server.freeze();
      const write = store.record("site_tactics", ["small"], ["big"]);
      await new Promise((r) => setTimeout(r, 400));
      server.thaw();
      await write;
      expect(errors).toEqual([]);
      expect(store.droppedWrites).toBe(0);
      expect(built.rate("site_tactics", "small")).toBeGreaterThan(built.rate("site_tactics", "big"));
    } finally {
      server.thaw();
      await built.close();
    }
  });

  it('"redis" without its env var set is a start-up error, not a silent fallback', async () => {
    const config = await parseConfig(REDIS_CONFIG, { baseDir: "/tmp", env: { LLMPOOL_WIN_RATE_REDIS_URL: "redis://x" } });
    expect(() => winRatesFromConfig(config, { env: {}, clock: new FakeClock() })).toThrow(/LLMPOOL_WIN_RATE_REDIS_URL is not set/);
  });

  it("R-OBS-1: gauge samples cover every (provider, task) the config can compare", async () => {
    const config = await parseConfig(CONFIG, { baseDir: "/tmp", env: {} });
    const samples = winRateSamples(config, (task, provider) => (task === "site_tactics" && provider === "big" ? 0.7 : 0.5));
    expect(samples).toContainEqual({ provider: "big", task: "site_tactics", rate: 0.7 });
    expect(samples).toContainEqual({ provider: "small", task: "site_tactics", rate: 0.5 });
    const pairs = samples.map((s) => `${s.task}/${s.provider}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(new Set(samples.map((s) => s.task))).toEqual(new Set(Object.keys(config.tasks)));
  });
});
