import { FakeClock } from "@llm-pool/core";
import { createFailFastRedis } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MemoryWinRateStore } from "./memory.js";
import { RedisWinRateStore, type RedisWinRateOptions } from "./redis.js";

const HOUR = 3_600_000;
const PROVIDERS = ["a", "b", "c", "d"];

/** A deterministic pseudo-random sequence (mulberry32), so a failing timeline can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
}

describe("RedisWinRateStore on a real Redis (R-ENS-3)", () => {
  let server: RedisProcess;
  let first: Redis;
  let second: Redis;
  const stores: RedisWinRateStore[] = [];
  /** A store whose background refresh stays out of the way unless a test advances the clock to it. */
  const storeOn = (redis: Redis, options: Omit<RedisWinRateOptions, "redis">) => {
    const store = new RedisWinRateStore({ redis, refreshMs: 10 * HOUR, maxStaleMs: 100 * HOUR, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedis();
    first = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    second = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    await Promise.all([ready(first), ready(second)]);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    first.disconnect();
    second.disconnect();
    await server.stop();
  });

  it.each([1, 2, 3])(
    "R-ENS-3: the Lua script and the in-memory store give the same rates on the same timeline (seed %i)",
    async (seed) => {
      const clock = new FakeClock();
      const halfLifeMs = 60_000;
      const memory = new MemoryWinRateStore({ clock, halfLifeMs });
      const redis = storeOn(first, { clock, halfLifeMs, prefix: `twin:${seed}:` });
      const random = seeded(seed);
      const expectSame = async (step: string) => {
        for (const task of ["judge", "expand_queries"] as const) {
          const [fromRedis, fromMemory] = await Promise.all([redis.rates(task, PROVIDERS), memory.rates(task, PROVIDERS)]);
          for (const p of PROVIDERS) expect(fromRedis.get(p), `${step} ${task}/${p}`).toBeCloseTo(fromMemory.get(p)!, 12);
        }
      };
      for (let i = 0; i < 150; i++) {
        const task = random() < 0.7 ? "judge" : "expand_queries";
        const compared = PROVIDERS.filter(() => random() < 0.6);
        // A vote can have several winners (its whole winning cluster).
        const split = 1 + Math.floor(random() * Math.max(1, compared.length));
        const won = compared.length > 0 ? compared.slice(0, split) : ["a"];
        const lost = compared.slice(split);
        await Promise.all([memory.record(task, won, lost), redis.record(task, won, lost)]);
        // The writer sees its own decision at once, from the script's reply.
        await expectSame(`after decision ${i}`);
        await clock.advance(Math.floor(random() * random() * 4 * halfLifeMs));
        // Rates decay locally between syncs, and a reload from Redis agrees.
        await expectSame(`decayed after decision ${i}`);
        await redis.refresh();
        await expectSame(`reloaded after decision ${i}`);
      }
    },
  );

  it("R-ENS-3: two pool processes on one Redis count every decision of both, atomically", async () => {
    const clock = new FakeClock();
    // Atomicity, not the outage bound, is under test: on a loaded machine 400 concurrent writes may take longer than 250 ms.
    const one = storeOn(first, { clock, prefix: "shared:", timeoutMs: 5_000 });
    const two = storeOn(second, { clock, prefix: "shared:", timeoutMs: 5_000 });
    // 300 decisions won by a and 100 by b, interleaved and concurrent across the two processes.
    await Promise.all(
      Array.from({ length: 400 }, (_, i) => {
        const store = i % 2 === 0 ? one : two;
        return i % 4 === 0 ? store.record("judge", ["b"], ["a"]) : store.record("judge", ["a"], ["b"]);
      }),
    );
    await Promise.all([one.refresh(), two.refresh()]);
    for (const store of [one, two]) {
      // (wins + 1) / (decisions + 2) with no time passed: nothing lost, nothing counted twice.
      expect(store.rate("judge", "a")).toBeCloseTo(301 / 402, 12);
      expect(store.rate("judge", "b")).toBeCloseTo(101 / 402, 12);
    }
  });

  it("R-ENS-3: a process sees the other's wins after its background refresh, without asking", async () => {
    const clock = new FakeClock();
    const one = storeOn(first, { clock, prefix: "background:", refreshMs: 1_000 });
    const two = storeOn(second, { clock, prefix: "background:", refreshMs: 1_000, tasks: ["judge"] });
    await two.refresh();
    await one.record("judge", ["a"], ["b"]);
    expect(two.rate("judge", "a")).toBe(0.5);
    await clock.advance(1_000);
    // One decision, decayed by one second of a one-hour half-life.
    const f = Math.pow(0.5, 1_000 / HOUR);
    await vi.waitFor(() => expect(two.rate("judge", "a")).toBeCloseTo((f + 1) / (f + 2), 12));
    expect(two.rate("judge", "b")).toBeCloseTo(1 / (f + 2), 12);
  });

  it("R-ENS-3: a task seen for the first time reads as the prior, then loads in the background", async () => {
    const clock = new FakeClock();
    const writer = storeOn(first, { clock, prefix: "first-sight:" });
    await writer.record("site_tactics", ["a"], []);
    const reader = storeOn(second, { clock, prefix: "first-sight:" });
    expect(await reader.rates("site_tactics", ["a"])).toEqual(new Map([["a", 0.5]]));
    await vi.waitFor(() => expect(reader.rate("site_tactics", "a")).toBeCloseTo(2 / 3, 12));
  });

  it("R-ENS-3: keys are namespaced by prefix and task, and expire a few half-lives after the last write", async () => {
    const clock = new FakeClock();
    const store = storeOn(first, { clock, prefix: "ttl:", halfLifeMs: 60_000, ttlHalfLives: 4 });
    const other = storeOn(first, { clock, prefix: "ttl-other:", halfLifeMs: 60_000 });
    await store.record("judge", ["a"], ["b"]);
    expect(await first.keys("ttl:*")).toEqual(["ttl:judge"]);
    const ttl = await first.pttl("ttl:judge");
    expect(ttl).toBeGreaterThan(230_000);
    expect(ttl).toBeLessThanOrEqual(240_000);
    await other.refresh();
    expect(other.rate("judge", "a")).toBe(0.5);
  });

  it("R-ENS-3: survives a Redis restart of its script cache (EVALSHA falls back to EVAL)", async () => {
    const clock = new FakeClock();
    const store = storeOn(first, { clock, prefix: "script:" });
    await store.record("judge", ["a"], []);
    await first.script("FLUSH");
    await store.record("judge", ["a"], []);
    expect(store.rate("judge", "a")).toBeCloseTo(3 / 4, 12);
    expect(store.droppedWrites).toBe(0);
  });

  it("ignores a field it cannot read instead of failing the task", async () => {
    const clock = new FakeClock();
    const store = storeOn(first, { clock, prefix: "corrupt:", tasks: ["judge"] });
    await first.hset("corrupt:judge", "a", "not a tally", "b", "2 2 1800000000000");
    await store.refresh();
    expect(store.rate("judge", "a")).toBe(0.5);
    expect(store.rate("judge", "b")).toBe(3 / 4);
    await store.record("judge", ["a"], []);
    expect(store.rate("judge", "a")).toBeCloseTo(2 / 3, 12);
  });
});
