import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFailFastRedis, redisReady } from "./fail-fast-redis.js";

describe("the fail-fast Redis client", () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it("talks to a real redis-server", async () => {
    const redis = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    await redisReady(redis);
    await redis.set("k", "v");
    expect(await redis.get("k")).toBe("v");
    redis.disconnect();
  });

  it("fails a command within its timeout when Redis is frozen, instead of waiting", async () => {
    const redis = createFailFastRedis(server.url, { commandTimeoutMs: 100 });
    await redisReady(redis);
    server.freeze();
    try {
      const started = Date.now();
      await expect(redis.get("k")).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      server.thaw();
      redis.disconnect();
    }
  });

  it("fails a command at once while Redis is down (no offline queue), and reports connection errors", async () => {
    const errors: Error[] = [];
    const redis = createFailFastRedis(server.url, { commandTimeoutMs: 2_000, onError: (e) => errors.push(e) });
    await redisReady(redis);
    await server.crash();
    try {
      // Reconnection attempts fail and are reported; poll for the first, bounded.
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors.length).toBeGreaterThan(0);
      await expect(redis.get("k")).rejects.toThrow(/enableOfflineQueue|Connection is closed|not writeable/i);
    } finally {
      await server.restart();
      redis.disconnect();
    }
  });
});
