import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisCacheStore } from "./redis.js";

describe("RedisCacheStore on a real Redis (R-CACHE-1)", () => {
  let server: RedisProcess;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    await redisReady(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it("R-CACHE-1: stores binary values under the prefix with the entry's TTL (PX)", async () => {
    const store = new RedisCacheStore({ redis });
    const value = new Uint8Array([0, 255, 10, 13, 0, 42]);
    expect(await store.set("k1", value, 5_000)).toBe(true);
    expect(await store.get("k1")).toEqual(Buffer.from(value));
    const ttl = await redis.pttl("llmpool:cache:k1");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await store.delete("k1");
    expect(await store.get("k1")).toBeUndefined();
  });

  it("R-CACHE-1: refuses a value above maxEntryBytes and a TTL of 0", async () => {
    const store = new RedisCacheStore({ redis, maxEntryBytes: 8 });
    expect(await store.set("big", new Uint8Array(9), 5_000)).toBe(false);
    expect(await store.set("never", new Uint8Array(1), 0)).toBe(false);
    expect(await redis.exists("llmpool:cache:big", "llmpool:cache:never")).toBe(0);
  });
});
