import { FakeClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRateLimiter } from "./memory.js";
import { RedisRateLimiter } from "./redis.js";

/** A deterministic pseudo-random sequence (mulberry32), so a failing timeline can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("RedisRateLimiter on a real Redis (R-SEC-5)", () => {
  let server: RedisProcess;
  let first: Redis;
  let second: Redis;

  beforeAll(async () => {
    server = await startRedis();
    first = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    second = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    await Promise.all([redisReady(first), redisReady(second)]);
  });
  afterAll(async () => {
    first.disconnect();
    second.disconnect();
    await server.stop();
  });

  it.each([
    [1, { rps: 10, burst: 20 }],
    [2, { rps: 3, burst: 5 }],
    [3, { rps: 0.5, burst: 1 }],
    [4, { rps: 250, burst: 7 }],
  ])("R-SEC-5: the Lua script and the in-memory twin decide alike on the same timeline (seed %i)", async (seed, policy) => {
    const clock = new FakeClock(1_800_000_000_123);
    const memory = new MemoryRateLimiter({ clock });
    // Redis expires keys on its own (real) clock; a long margin keeps that out of a fake timeline.
    const redis = new RedisRateLimiter({ redis: first, clock, prefix: `twin:${seed}:`, expiryMarginMs: 600_000 });
    const random = seeded(seed);
    for (let i = 0; i < 300; i++) {
      const key = random() < 0.8 ? "a" : "b";
      expect(await redis.consume(key, policy), `request ${i}`).toEqual(await memory.consume(key, policy));
      await clock.advance(Math.floor(random() * random() * 3_000 / policy.rps));
    }
  });

  it("R-SEC-5: exact under concurrency: two replicas sharing Redis admit exactly the burst of 1000 simultaneous requests", async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const replicas = [first, second].map((redis) => new RedisRateLimiter({ redis, clock, prefix: "conc:" }));
    const policy = { rps: 1, burst: 137 };
    const decisions = await Promise.all(Array.from({ length: 1000 }, (_, i) => replicas[i % 2]!.consume("vvtv/planner", policy)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(137);
    // Every remaining count from 136 down to 0 was handed out exactly once.
    expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 137 }, (_, i) => i));
  });

  it("R-SEC-5: the bucket key expires once the bucket is full again", async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const limiter = new RedisRateLimiter({ redis: first, clock, prefix: "ttl:" });
    await limiter.consume("k", { rps: 10, burst: 5 });
    const ttl = await first.pttl("ttl:k");
    // 100 ms until the bucket is full, plus the one-second margin.
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_100);
  });

  it("R-SEC-5: survives a Redis restart (the script cache is gone; EVALSHA falls back to EVAL)", async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const limiter = new RedisRateLimiter({ redis: first, clock, prefix: "restart:" });
    await limiter.consume("k", { rps: 1, burst: 2 });
    await first.script("FLUSH");
    expect((await limiter.consume("k", { rps: 1, burst: 2 })).allowed).toBe(true);
    expect((await limiter.consume("k", { rps: 1, burst: 2 })).allowed).toBe(false);
  });
});
