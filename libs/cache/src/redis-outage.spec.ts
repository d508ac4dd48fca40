// Redis killed and frozen in the middle of a run (R-CACHE-1, R-CACHE-2): the
// cache degrades to a miss within a bound, idempotency follows its mode.
import { Code, CountingEnsemble, pipeline, query, refusalOf, SPEC_TOML, specConfig } from "@llm-pool/cache/test-support";
import type { ConfigSnapshot } from "@llm-pool/config";
import { systemClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { idempotencyKey } from "./answer-key.js";
import type { CacheObserver, IdempotencyOutcome } from "./cache-observer.js";
import { createAnswerMemo } from "./create-answer-memo.js";
import type { IdempotencyFailureMode } from "./idempotency-guard.js";

const COMMAND_TIMEOUT_MS = 150;
const DOWN_FOR_MS = 200;
/** What one query may spend on a dead or frozen Redis: one command timeout, plus scheduling slack on a busy CI box. */
const OUTAGE_BOUND_MS = COMMAND_TIMEOUT_MS + 350;

let config: ConfigSnapshot;
let server: RedisProcess;
let redis: Redis;

beforeAll(async () => {
  config = await specConfig(SPEC_TOML.replace("[cache]", '[cache]\ndriver = "redis"\nredis_url_env = "LLMPOOL_REDIS_URL"'));
  server = await startRedis();
});
afterAll(() => server.stop());
beforeEach(async () => {
  redis = createFailFastRedis(server.url, { commandTimeoutMs: COMMAND_TIMEOUT_MS, maxReconnectDelayMs: 200 });
  await redisReady(redis);
});
afterEach(async () => {
  server.thaw();
  redis.disconnect();
  if ((await fetchPid()) === undefined) await server.restart();
});

/** The server's pid if it still runs (crash() leaves it dead until restart()). */
async function fetchPid(): Promise<number | undefined> {
  try {
    process.kill(server.pid, 0);
    return server.pid;
  } catch {
    return undefined;
  }
}

function setup(mode: IdempotencyFailureMode = "open") {
  const seen: string[] = [];
  const outcomes: IdempotencyOutcome[] = [];
  const observer: CacheObserver = {
    hit: () => seen.push("hit"),
    miss: () => seen.push("miss"),
    notStored: (_task, reason) => seen.push(`not_stored ${reason}`),
    storeFailed: (store, operation) => seen.push(`failed ${store} ${operation}`),
    idempotency: (outcome) => outcomes.push(outcome),
  };
  const memo = createAnswerMemo({
    config: () => config,
    env: {},
    clock: systemClock,
    observer,
    redis,
    storeDownForMs: DOWN_FOR_MS,
    idempotencyOnStoreFailure: mode,
  });
  const ensemble = new CountingEnsemble();
  const p = pipeline({ config, clock: systemClock, ensemble, cache: memo.cache, idempotency: memo.idempotency });
  return { ...p, memo, seen, outcomes };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Redis killed in the middle of a run", () => {
  it("R-CACHE-1: the running query still answers; later queries miss at once; the cache returns with Redis", async () => {
    const { infer, ensemble, seen, memo } = setup();
    expect(memo.driver).toBe("redis");
    await infer(query({ prompt: "warm" }));
    expect((await infer(query({ prompt: "warm" }))).fromCache).toBe(true);

    const release = ensemble.hold();
    const running = infer(query({ prompt: "in flight" }));
    await pause(50);
    await server.crash();
    release();
    expect((await running).output).toContain("in flight");
    expect(seen).toContain("not_stored store_down");

    for (let i = 0; i < 10; i++) {
      const { value, ms } = await timed(() => infer(query({ prompt: "warm" })));
      expect(value.fromCache).toBe(false);
      expect(ms).toBeLessThan(OUTAGE_BOUND_MS);
    }

    await server.restart();
    await redisReady(redis);
    await pause(DOWN_FOR_MS);
    await infer(query({ prompt: "after" }));
    expect((await infer(query({ prompt: "after" }))).fromCache).toBe(true);
  });

  it("R-CACHE-2: fail open (the default): a request_id query runs without idempotency while Redis is dead", async () => {
    const { infer, ensemble, outcomes } = setup("open");
    await server.crash();
    await infer(query({ requestId: "outage-1", prompt: "x" }));
    await infer(query({ requestId: "outage-1", prompt: "x" }));
    expect(ensemble.runs).toBe(2);
    expect(outcomes).toEqual(["bypassed", "bypassed"]);
  });

  it("R-CACHE-2: Redis dies while the first request holds the lease: it still answers, nothing is stored, a retry runs again", async () => {
    const { infer, ensemble, outcomes } = setup("open");
    const release = ensemble.hold();
    const first = infer(query({ requestId: "outage-2", meta: { cache: "no-store" } }));
    await pause(50);
    await server.crash();
    release();
    expect((await first).requestId).toBe("outage-2");
    await server.restart();
    await redisReady(redis);
    await pause(DOWN_FOR_MS);
    await infer(query({ requestId: "outage-2", meta: { cache: "no-store" } }));
    expect(ensemble.runs).toBe(2);
    expect(outcomes).toEqual(["first", "first"]);
  });
});

describe("Redis frozen in the middle of a run", () => {
  it("R-CACHE-1: each query waits at most one command timeout for the cache, then misses; hits return after the thaw", async () => {
    const { infer, seen } = setup();
    await infer(query({ prompt: "warm" }));
    server.freeze();
    for (let i = 0; i < 6; i++) {
      const { value, ms } = await timed(() => infer(query({ prompt: "warm" })));
      expect(value.fromCache).toBe(false);
      expect(ms).toBeLessThan(OUTAGE_BOUND_MS);
      if (i % 2) await pause(DOWN_FOR_MS); // let the gate try Redis again now and then
    }
    expect(seen.filter((e) => e === "failed cache get").length).toBeGreaterThanOrEqual(1);
    server.thaw();
    await pause(DOWN_FOR_MS);
    await infer(query({ prompt: "thawed" }));
    expect((await infer(query({ prompt: "thawed" }))).fromCache).toBe(true);
  });

  it("R-CACHE-2: fail closed: a request_id query is refused with unavailable within the bound, and runs again after the thaw", async () => {
    const { infer, ensemble, outcomes } = setup("closed");
    server.freeze();
    const { value: error, ms } = await timed(() => refusalOf(infer(query({ requestId: "outage-3" }))));
    expect(error.code).toBe(Code.Unavailable);
    expect(ms).toBeLessThan(OUTAGE_BOUND_MS);
    expect(ensemble.runs).toBe(0);
    server.thaw();
    await pause(DOWN_FOR_MS);
    await infer(query({ requestId: "outage-3" }));
    await infer(query({ requestId: "outage-3" }));
    expect(ensemble.runs).toBe(1);
    expect(outcomes).toEqual(["refused", "first", "replayed"]);
  });

  it("R-CACHE-2: fail open on a frozen Redis: a request_id query pays the command timeout once (one gate for both stages), then runs", async () => {
    const { infer, ensemble, seen, outcomes } = setup("open");
    server.freeze();
    const { value, ms } = await timed(() => infer(query({ requestId: "outage-5", prompt: "frozen" })));
    expect(value.requestId).toBe("outage-5");
    expect(ms).toBeLessThan(OUTAGE_BOUND_MS);
    expect(seen.filter((e) => e.startsWith("failed"))).toEqual(["failed idempotency acquire"]);
    expect(outcomes).toEqual(["bypassed"]);
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-2: a lease taken by a command that timed out is undone when Redis wakes, so the id is not blocked", async () => {
    const { infer, ensemble } = setup("open");
    server.freeze();
    await infer(query({ requestId: "outage-4", meta: { cache: "no-store" } }));
    server.thaw();
    await pause(DOWN_FOR_MS + 50);
    expect(await redis.exists(`llmpool:idem:${idempotencyKey("default", "outage-4")}`)).toBe(0);
    await infer(query({ requestId: "outage-4", meta: { cache: "no-store" } }));
    expect(ensemble.runs).toBe(2);
  });
});

describe("the client built from the config waits [redis] command_timeout_ms", () => {
  it("R-CACHE-1: a Redis stalled for longer than the old fixed 150 ms but within the configured timeout is no outage: the hit is served", async () => {
    const slowConfig = await specConfig(
      SPEC_TOML.replace("[cache]", '[redis]\ncommand_timeout_ms = 5000\n\n[cache]\ndriver = "redis"\nredis_url_env = "LLMPOOL_REDIS_URL"'),
    );
    const seen: string[] = [];
    const memo = createAnswerMemo({
      config: () => slowConfig,
      env: { LLMPOOL_REDIS_URL: server.url },
      clock: systemClock,
      observer: { hit: () => seen.push("hit"), storeFailed: (store, operation) => seen.push(`failed ${store} ${operation}`) },
    });
    try {
      await memo.ready(5_000);
      const { infer } = pipeline({ config: slowConfig, clock: systemClock, ensemble: new CountingEnsemble(), cache: memo.cache, idempotency: memo.idempotency });
      await infer(query({ prompt: "slow but alive" }));
      server.freeze();
      const answer = infer(query({ prompt: "slow but alive" }));
      await pause(400);
      server.thaw();
      expect((await answer).fromCache).toBe(true);
      expect(seen).toEqual(["hit"]);
    } finally {
      server.thaw();
      await memo.close();
    }
  });
});
