import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFailFastRedis, redisReady } from "./fail-fast-redis.js";
import { probeRedis } from "./redis-probe.js";

const timer = {
  setTimer(ms: number, fn: () => void) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** Polls `check` every 20 ms until it holds; fails after 10 s. */
async function eventually(check: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the Redis probe readiness reads", () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it("calls a frozen Redis down within an interval and its command timeout, and up again once it answers", async () => {
    const redis = createFailFastRedis(server.url, { commandTimeoutMs: 100 });
    await redisReady(redis);
    const probe = probeRedis(redis, { timer, intervalMs: 50 });
    try {
      await eventually(() => probe.down() === undefined);
      server.freeze();
      // The connection stays open and the client still says "ready": only the PING tells.
      await eventually(() => probe.down() !== undefined);
      expect(redis.status).toBe("ready");
      expect(probe.down()).toMatch(/timed out/i);
      server.thaw();
      await eventually(() => probe.down() === undefined);
    } finally {
      server.thaw();
      probe.close();
      redis.disconnect();
    }
  });

  it("calls a Redis whose connection is gone down at once", async () => {
    const redis = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    await redisReady(redis);
    const probe = probeRedis(redis, { timer, intervalMs: 50 });
    redis.disconnect();
    await eventually(() => probe.down() !== undefined);
    expect(probe.down()).toMatch(/not connected/);
    probe.close();
  });
});
