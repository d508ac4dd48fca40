import { toBinary } from "@bufbuild/protobuf";
import { Code, CountingEnsemble, pipeline, query, refusalOf, specConfig } from "@llm-pool/cache/test-support";
import type { ConfigSnapshot } from "@llm-pool/config";
import { AnswerSchema } from "@llm-pool/contract";
import { PoolError, systemClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoredIdempotencyGuard } from "../idempotency-guard.js";
import { RedisIdempotencyStore } from "./redis.js";

let config: ConfigSnapshot;

describe("RedisIdempotencyStore: two replicas sharing one Redis (R-CACHE-2)", () => {
  let server: RedisProcess;
  let first: Redis;
  let second: Redis;

  beforeAll(async () => {
    config = await specConfig();
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

  /** Two orchestrators ("replicas"), each with its own client and guard, one shared ensemble counter. */
  function replicas() {
    const ensemble = new CountingEnsemble();
    const replica = (redis: Redis) =>
      pipeline({
        config,
        clock: systemClock,
        ensemble,
        idempotency: new StoredIdempotencyGuard({ store: new RedisIdempotencyStore({ redis }), clock: systemClock }),
      });
    return { ensemble, a: replica(first), b: replica(second) };
  }

  it("R-CACHE-2: the lease is SET NX with a PX bound, then the finished record lives for idempotency_ttl_ms", async () => {
    const store = new RedisIdempotencyStore({ redis: first });
    expect(await store.acquire("lease-1", { fingerprint: "f", owner: "o1", leaseMs: 6_500 })).toEqual({ kind: "acquired" });
    expect(await store.acquire("lease-1", { fingerprint: "f", owner: "o2", leaseMs: 6_500 })).toEqual({ kind: "pending", fingerprint: "f" });
    const leaseTtl = await first.pttl("llmpool:idem:lease-1");
    expect(leaseTtl).toBeGreaterThan(0);
    expect(leaseTtl).toBeLessThanOrEqual(6_500);
    expect(await store.complete("lease-1", { fingerprint: "f", owner: "o2", answer: new Uint8Array([1]), ttlMs: 600_000 })).toBe(false);
    expect(await store.complete("lease-1", { fingerprint: "f", owner: "o1", answer: new Uint8Array([1, 2]), ttlMs: 600_000 })).toBe(true);
    expect(await first.pttl("llmpool:idem:lease-1")).toBeGreaterThan(6_500);
    expect(await store.acquire("lease-1", { fingerprint: "f", owner: "o3", leaseMs: 6_500 })).toEqual({
      kind: "done",
      fingerprint: "f",
      answer: new Uint8Array([1, 2]),
    });
  });

  it("R-CACHE-2: only the holder releases its unfinished lease", async () => {
    const store = new RedisIdempotencyStore({ redis: first });
    await store.acquire("lease-2", { fingerprint: "f", owner: "o1", leaseMs: 6_500 });
    await store.release("lease-2", "someone-else");
    expect(await first.exists("llmpool:idem:lease-2")).toBe(1);
    await store.release("lease-2", "o1");
    expect(await first.exists("llmpool:idem:lease-2")).toBe(0);
  });

  it("R-CACHE-2: 40 concurrent duplicates spread over two replicas run the engines once; every answer has the same bytes", async () => {
    const { ensemble, a, b } = replicas();
    const release = ensemble.hold();
    const answers = Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).infer(query({ requestId: "shared-1" }))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const all = await answers;
    expect(ensemble.runs).toBe(1);
    expect(new Set(all.map((x) => Buffer.from(toBinary(AnswerSchema, x)).toString("hex"))).size).toBe(1);
  });

  it("R-CACHE-2: a finished id replays byte for byte on the other replica", async () => {
    const { ensemble, a, b } = replicas();
    const original = await a.infer(query({ requestId: "shared-2" }));
    const replay = await b.infer(query({ requestId: "shared-2" }));
    expect(toBinary(AnswerSchema, replay)).toEqual(toBinary(AnswerSchema, original));
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-2: the other replica refuses the same id with a different query", async () => {
    const { a, b } = replicas();
    await a.infer(query({ requestId: "shared-3", prompt: "jazz" }));
    const error = await refusalOf(b.infer(query({ requestId: "shared-3", prompt: "metal" })));
    expect(error.code).toBe(Code.Conflict);
  });

  it("R-CACHE-2: a failure on one replica frees the id for a retry on the other", async () => {
    const { ensemble, a, b } = replicas();
    ensemble.failNext.push(new PoolError(Code.Unavailable, "no provider could answer"));
    expect((await refusalOf(a.infer(query({ requestId: "shared-4" })))).code).toBe(Code.Unavailable);
    expect((await b.infer(query({ requestId: "shared-4" }))).requestId).toBe("shared-4");
    expect(ensemble.runs).toBe(2);
  });
});
