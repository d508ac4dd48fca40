import { FakeClock } from "@llm-pool/core";
import { planFor, providers } from "@llm-pool/ensemble/test-support";
import { createFailFastRedis } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createEnsemble } from "../registry.js";
import { RedisWinRateStore, type RedisWinRateOptions } from "./redis.js";

const COMMAND_TIMEOUT_MS = 150;
/** What a decision may wait for the store, at worst: a command timeout plus scheduling slack. */
const BOUND_MS = 500;
const HOUR = 3_600_000;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = performance.now();
  const [result] = await Promise.allSettled([work()]);
  return { ms: performance.now() - start, result: result! };
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
}

describe("win-rates with Redis crashed or frozen mid-run: no decision fails or stalls (R-ENS-3)", () => {
  let server: RedisProcess;
  let redis: Redis;
  let errors: unknown[];
  let clock: FakeClock;
  const stores: RedisWinRateStore[] = [];
  const storeOn = (client: Redis, options: Partial<RedisWinRateOptions> = {}) => {
    const store = new RedisWinRateStore({
      redis: client,
      clock,
      tasks: ["judge"],
      refreshMs: HOUR,
      maxStaleMs: 10_000,
      downForMs: 1_000,
      onError: (error) => errors.push(error),
      ...options,
    });
    stores.push(store);
    return store;
  };
  const messages = () => errors.map((e) => `${(e as Error).message}: ${((e as Error).cause as Error).message}`);

  beforeAll(async () => {
    server = await startRedis();
    redis = createFailFastRedis(server.url, { commandTimeoutMs: COMMAND_TIMEOUT_MS, maxReconnectDelayMs: 100 });
  });
  beforeEach(async () => {
    errors = [];
    clock = new FakeClock();
    await ready(redis);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    redis.disconnect();
    await server.stop();
  });

  it("crash: writes are dropped at once and reported, reads keep the cache for maxStaleMs and then give 0.5; a restart recovers", async () => {
    const store = storeOn(redis, { prefix: "crash:" });
    await store.refresh();
    for (let i = 0; i < 5; i++) await store.record("judge", ["a"], ["b"]);
    expect(store.rate("judge", "a")).toBeCloseTo(6 / 7, 12);

    await server.crash();
    const write = await timed(() => store.record("judge", ["a"], ["b"]));
    expect(write.result.status).toBe("fulfilled");
    expect(write.ms).toBeLessThan(BOUND_MS);
    expect(messages()).toEqual([expect.stringMatching(/^win-rate store: Redis record failed/)]);
    // Redis is skipped for downForMs: the next write is dropped without a call and without another report.
    const next = await timed(() => store.record("judge", ["a"], ["b"]));
    expect(next.ms).toBeLessThan(BOUND_MS);
    expect([store.droppedWrites, errors.length]).toEqual([2, 1]);

    const read = await timed(() => store.rates("judge", ["a", "b"]));
    expect(read.ms).toBeLessThan(BOUND_MS);
    expect((read.result as PromiseFulfilledResult<ReadonlyMap<string, number>>).value.get("a")).toBeCloseTo(6 / 7, 12);
    await clock.advance(10_001);
    expect(await store.rates("judge", ["a", "b"])).toEqual(new Map([["a", 0.5], ["b", 0.5]]));

    await server.restart();
    await ready(redis);
    // The restarted server is empty: history starts again from the prior.
    await store.record("judge", ["b"], ["a"]);
    expect(store.rate("judge", "b")).toBeCloseTo(2 / 3, 12);
    expect(store.rate("judge", "a")).toBeCloseTo(1 / 3, 12);
  });

  it("freeze: a write waits at most the command timeout, the next ones not at all; reads answer from the cache", async () => {
    const store = storeOn(redis, { prefix: "freeze:" });
    await store.refresh();
    await store.record("judge", ["a"], ["b"]);
    server.freeze();
    try {
      const write = await timed(() => store.record("judge", ["a"], ["b"]));
      expect(write.result.status).toBe("fulfilled");
      expect(write.ms).toBeLessThan(BOUND_MS);
      expect(messages()).toEqual([expect.stringMatching(/Redis record failed.*: Command timed out/)]);
      const next = await timed(() => store.record("judge", ["b"], ["a"]));
      expect(next.ms).toBeLessThan(BOUND_MS);
      const refresh = await timed(() => store.refresh());
      expect(refresh.ms).toBeLessThan(BOUND_MS);
      const read = await timed(() => store.rates("judge", ["a", "b"]));
      expect(read.ms).toBeLessThan(BOUND_MS);
      expect((read.result as PromiseFulfilledResult<ReadonlyMap<string, number>>).value.get("a")).toBeCloseTo(2 / 3, 12);
    } finally {
      server.thaw();
    }
    await clock.advance(1_000);
    await store.record("judge", ["a"], ["b"]);
    // The write that timed out was already in the frozen server's socket, so it may land on thaw (3 wins of 3,
    // ~4/5) or not (2 of 2, 3/4); it is never retried, so never counted twice.
    expect(store.rate("judge", "a")).toBeGreaterThanOrEqual(3 / 4 - 1e-12);
    expect(store.rate("judge", "a")).toBeLessThanOrEqual(4 / 5);
    expect(store.droppedWrites).toBe(2);
  });

  it("bounds every call itself, even on a client with an offline queue and no command timeout", async () => {
    const plain = new Redis(server.url);
    plain.on("error", () => {});
    await ready(plain);
    const store = storeOn(plain, { prefix: "plain:", timeoutMs: 200 });
    server.freeze();
    try {
      const write = await timed(() => store.record("judge", ["a"], ["b"]));
      expect(write.result.status).toBe("fulfilled");
      expect(write.ms).toBeLessThan(BOUND_MS);
      expect(messages()).toEqual([expect.stringMatching(/no reply within 200 ms$/)]);
    } finally {
      server.thaw();
      plain.disconnect();
    }
  });

  it("a WEIGHTED decision during a freeze uses the cached rates and never waits for the store; a vote's write is dropped", async () => {
    const store = storeOn(redis, { prefix: "weighted:" });
    await store.refresh();
    // b won before: 3/4 against a's 1/4.
    await store.record("judge", ["b"], ["a"]);
    await store.record("judge", ["b"], ["a"]);
    const ensemble = createEnsemble({ winRates: store, onError: (error) => errors.push(error) });
    server.freeze();
    try {
      const list = providers("a", "b");
      const plan = { ...planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1.2, b: 1 } } }), task: "judge" as const };
      const decision = await timed(async () => {
        const run = ensemble.run(plan);
        await clock.advance(0);
        list[0]!.answer("from a");
        list[1]!.answer("from b");
        return run;
      });
      expect(decision.ms).toBeLessThan(BOUND_MS);
      expect((decision.result as PromiseFulfilledResult<Awaited<ReturnType<typeof ensemble.run>>>).value.winnerId).toBe("c2");
      // WEIGHTED compares no content and writes nothing; a vote does, and its write is dropped in the background
      // and reported by the store, not the ensemble.
      const voters = providers("a", "b");
      const vote = ensemble.run({ ...planFor(clock, "VOTING", voters), task: "judge" as const });
      await clock.advance(0);
      voters.forEach((p) => p.answer("the same answer"));
      await vote;
      await vi.waitFor(() => expect(store.droppedWrites).toBe(1), { timeout: BOUND_MS });
      expect(messages()).toEqual([expect.stringMatching(/Redis record failed/)]);
    } finally {
      server.thaw();
    }
  });
});
