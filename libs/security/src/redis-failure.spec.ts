import { Code, systemClock, type PoolError } from "@llm-pool/core";
import { createFailFastRedis, OutageGate, redisReady } from "@llm-pool/redis";
import { snapshotOf, tenancyConfig } from "@llm-pool/security/test-support";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecurity } from "./create-security.js";
import { GuardedNonceStore } from "./nonce-store/guarded.js";
import { MemoryNonceStore } from "./nonce-store/memory.js";
import { RedisNonceStore } from "./nonce-store/redis.js";
import { MemoryRateLimiter } from "./rate-limit/memory.js";
import { RedisRateLimiter } from "./rate-limit/redis.js";
import { StoreGuard, type StoreFailureMode } from "./store-guard.js";

const COMMAND_TIMEOUT_MS = 200;
/** The bound the configured behaviour must happen within: the command timeout plus scheduling slack. */
const BOUND_MS = COMMAND_TIMEOUT_MS + 800;

/** The window of a request signed now. */
const window = () => ({ signedAtMs: Date.now(), expiresAtMs: Date.now() + 60_000 });

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = performance.now();
  const [result] = await Promise.allSettled([work()]);
  return { ms: performance.now() - start, result: result! };
}

describe("Redis killed or frozen: the configured behaviour within its bound (R-SEC-2, R-SEC-5)", () => {
  let server: RedisProcess;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = createFailFastRedis(server.url, { commandTimeoutMs: COMMAND_TIMEOUT_MS, maxReconnectDelayMs: 100 });
    await redisReady(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  function stores(mode: StoreFailureMode) {
    const clock = systemClock;
    const events: string[] = [];
    const observer = { storeDegraded: (store: string, outcome: string) => events.push(`${outcome}:${store}`) };
    // One gate for the one client, as createSecurity builds it.
    const gate = new OutageGate({ clock, downForMs: 500 });
    const nonceGuard = new StoreGuard({ store: "nonce", mode, gate, observer });
    const rateGuard = new StoreGuard({ store: "rate_limit", mode, gate, observer });
    const remoteNonces = new RedisNonceStore({ redis, clock });
    const localNonces = new MemoryNonceStore({ clock });
    const remoteLimiter = new RedisRateLimiter({ redis, clock });
    const localLimiter = new MemoryRateLimiter({ clock });
    let n = 0;
    return {
      events,
      claim: () => nonceGuard.run(
        () => remoteNonces.claim("k", `nonce-${mode}-${n}-aaaaaaaaaaaaaaaa`, window()),
        () => localNonces.claim("k", `nonce-${mode}-${n++}-aaaaaaaaaaaaaaaa`, window()),
      ),
      consume: () => rateGuard.run(
        () => remoteLimiter.consume("t/p", { rps: 1000, burst: 1000 }),
        () => localLimiter.consume("t/p", { rps: 1000, burst: 1000 }),
      ),
    };
  }

  it("refuse + crashed (SIGKILL): 503 unavailable at once for nonces and rate limits; service returns after restart", async () => {
    const s = stores("refuse");
    await expect(s.claim()).resolves.toBe("claimed");
    await server.crash();
    for (const op of [s.claim, s.consume, s.claim] as (() => Promise<unknown>)[]) {
      const { ms, result } = await timed(op);
      expect(result.status).toBe("rejected");
      expect(((result as PromiseRejectedResult).reason as PoolError).code).toBe(Code.Unavailable);
      expect(ms).toBeLessThan(BOUND_MS);
    }
    await server.restart();
    await redisReady(redis, 5_000);
    await new Promise((r) => setTimeout(r, 600)); // past downForMs
    await expect(s.claim()).resolves.toBe("claimed");
    await expect(s.consume()).resolves.toMatchObject({ allowed: true });
  });

  it("refuse + frozen (SIGSTOP): the first request waits at most the command timeout, the next ones not at all", async () => {
    const s = stores("refuse");
    await expect(s.consume()).resolves.toMatchObject({ allowed: true });
    server.freeze();
    try {
      const first = await timed(s.consume);
      expect(first.result.status).toBe("rejected");
      expect(first.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 20);
      expect(first.ms).toBeLessThan(BOUND_MS);
      const next = await timed(s.consume);
      expect(next.result.status).toBe("rejected");
      expect(next.ms).toBeLessThan(first.ms);
      const nonce = await timed(s.claim);
      expect(((nonce.result as PromiseRejectedResult).reason as PoolError).code).toBe(Code.Unavailable);
      expect(nonce.ms).toBeLessThan(BOUND_MS);
    } finally {
      server.thaw();
    }
    await new Promise((r) => setTimeout(r, 600));
    await expect(s.consume()).resolves.toMatchObject({ allowed: true });
  });

  it("local + frozen: requests are served from memory within the bound, and the fallback is reported", async () => {
    const s = stores("local");
    server.freeze();
    try {
      const claim = await timed(s.claim);
      expect(claim.result).toEqual({ status: "fulfilled", value: "claimed" });
      expect(claim.ms).toBeLessThan(BOUND_MS);
      const consume = await timed(s.consume);
      expect(consume.result.status).toBe("fulfilled");
      expect(consume.ms).toBeLessThan(BOUND_MS);
    } finally {
      server.thaw();
    }
    expect(s.events).toEqual(["local_fallback:nonce", "local_fallback:rate_limit"]);
  });

  it("local + crashed: the local fallback keeps replay protection on this replica", async () => {
    const s = stores("local");
    await server.crash();
    try {
      const nonces = guardedNonces();
      await expect(nonces.claim("k", "same-nonce-aaaaaaaaaaaaaa", window())).resolves.toBe("claimed");
      await expect(nonces.claim("k", "same-nonce-aaaaaaaaaaaaaa", window())).resolves.toBe("replayed");
      await expect(s.consume()).resolves.toMatchObject({ allowed: true });
    } finally {
      await server.restart();
      await redisReady(redis, 5_000);
    }
  });

  it("R-SEC-2: local + Redis refusing writes: a nonce recorded in memory stays a replay after Redis is back, here and on another replica", async () => {
    const here = guardedNonces();
    const elsewhere = guardedNonces();
    await expect(here.claim("k", "before-outage-aaaaaaaaaa", window())).resolves.toBe("claimed");
    const accepted = window();
    await redis.config("SET", "min-replicas-to-write", "1"); // up, data kept, every write refused
    try {
      await expect(here.claim("k", "outage-nonce-aaaaaaaaaaa", accepted)).resolves.toBe("claimed");
    } finally {
      await redis.config("SET", "min-replicas-to-write", "0");
    }
    await new Promise((r) => setTimeout(r, 600)); // past downForMs: Redis is asked again
    await expect(here.claim("k", "outage-nonce-aaaaaaaaaaa", accepted)).resolves.toBe("replayed");
    // The first claim Redis answers again writes the outage's nonces back for the other replicas.
    await expect(here.claim("k", "after-outage-aaaaaaaaaaa", window())).resolves.toBe("claimed");
    await expect(elsewhere.claim("k", "outage-nonce-aaaaaaaaaaa", accepted)).resolves.toBe("replayed");
  });

  /** The Redis nonces with a replica's memory as the fallback, as createSecurity builds them in "local" mode. */
  function guardedNonces(): GuardedNonceStore {
    const clock = systemClock;
    return new GuardedNonceStore({
      remote: new RedisNonceStore({ redis, clock }),
      local: new MemoryNonceStore({ clock }),
      guard: new StoreGuard({ store: "nonce", mode: "local", gate: new OutageGate({ clock, downForMs: 500 }) }),
      clock,
    });
  }

  it("R-SEC-5: the client createSecurity builds waits [redis] command_timeout_ms: a Redis stalled past the old fixed 250 ms but within it admits the request", async () => {
    const events: string[] = [];
    const tenancy = tenancyConfig({ nonce_store: "redis", rate_limit_store: "redis", redis_url_env: "LLMPOOL_REDIS_URL" });
    const security = createSecurity({
      config: () => ({ ...snapshotOf(tenancy), redis: { command_timeout_ms: 5_000 } }),
      env: { LLMPOOL_REDIS_URL: server.url },
      clock: systemClock,
      observer: { storeFailed: (store) => events.push(`failed:${store}`), storeDegraded: (store, outcome) => events.push(`${outcome}:${store}`) },
    });
    try {
      await security.ready(5_000);
      const identity = { tenantId: "vvtv", projectIds: ["planner"], principal: "vvtv-a", scopes: ["infer"] };
      server.freeze();
      const admitted = security.tenantGate.admit(identity, "");
      await new Promise((r) => setTimeout(r, 400));
      server.thaw();
      await expect(admitted).resolves.toMatchObject({ projectId: "planner" });
      expect(events).toEqual([]);
    } finally {
      server.thaw();
      await security.close();
    }
  });
});
