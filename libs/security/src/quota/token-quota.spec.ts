import { FakeClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryTokenQuotaStore } from "./memory.js";
import { RedisTokenQuotaStore } from "./redis.js";
import type { TokenQuotaStore } from "./token-quota.js";

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

describe.each([
  ["memory", (clock: FakeClock): TokenQuotaStore => new MemoryTokenQuotaStore({ clock })],
  ["redis (a real redis-server)", (clock: FakeClock): TokenQuotaStore => new RedisTokenQuotaStore({ redis, clock })],
])("daily token counts in %s (R-SEC-6)", (_name, storeOn) => {
  let clock: FakeClock;
  let store: TokenQuotaStore;

  beforeEach(async () => {
    await redis.flushall();
    clock = new FakeClock(Date.UTC(2027, 0, 15, 12, 0, 0));
    store = storeOn(clock);
  });

  it("R-SEC-6: of 50 concurrent reservations of 10 tokens against 60 a day, exactly 6 are admitted", async () => {
    const decisions = await Promise.all(Array.from({ length: 50 }, () => store.reserve("vvtv", 10, 60)));
    expect(decisions.filter((d) => d.admitted)).toHaveLength(6);
    expect(await store.usedToday("vvtv")).toBe(60);
    expect(decisions.find((d) => !d.admitted)).toEqual({ admitted: false, used: 60 });
  });

  it("R-SEC-6: a reservation is admitted while the count is below the limit, so the last one may cross it", async () => {
    expect((await store.reserve("vvtv", 40, 60)).admitted).toBe(true);
    expect((await store.reserve("vvtv", 40, 60)).admitted).toBe(true);
    expect(await store.usedToday("vvtv")).toBe(80);
    expect((await store.reserve("vvtv", 1, 60)).admitted).toBe(false);
    expect(await store.usedToday("other")).toBe(0);
  });

  it("R-SEC-6: settling replaces the reserved tokens with the tokens used; 0 releases them all", async () => {
    const first = await store.reserve("vvtv", 30, 100);
    const second = await store.reserve("vvtv", 30, 100);
    if (!first.admitted || !second.admitted) throw new Error("both fit");
    await first.hold.settle(42);
    await second.hold.settle(0);
    expect(await store.usedToday("vvtv")).toBe(42);
  });

  it("R-SEC-6: a reservation settled after midnight is settled on the day it was made; the new day starts at zero", async () => {
    const late = await store.reserve("vvtv", 50, 100);
    if (!late.admitted) throw new Error("fits");
    await clock.advance(12 * 3_600_000);
    await late.hold.settle(10);
    expect(await store.usedToday("vvtv")).toBe(0);
  });
});

describe("daily token counts in Redis: a lost counter (R-SEC-6)", () => {
  it("a release after Redis lost the counter does not drive it below zero (no tokens the tenant never had)", async () => {
    const clock = new FakeClock(Date.UTC(2027, 0, 15, 12, 0, 0));
    const store = new RedisTokenQuotaStore({ redis, clock });
    const held = await store.reserve("vvtv", 50, 100);
    if (!held.admitted) throw new Error("fits");
    await redis.flushall();
    await held.hold.settle(0);
    expect(await store.usedToday("vvtv")).toBe(0);
    expect((await store.reserve("vvtv", 100, 100)).admitted).toBe(true);
    expect((await store.reserve("vvtv", 1, 100)).admitted).toBe(false);
  });
});
