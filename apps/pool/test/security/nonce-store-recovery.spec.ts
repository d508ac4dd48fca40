import { FakeClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inferBody,
  NOW_S,
  rawRequest,
  signedHeaders,
  signedInfer,
  specEnv,
  startSecuredPool,
  tenancyConfig,
  type SecuredPool,
} from "./security-fixture.js";

const redisTenancy = (onStoreFailure: "refuse" | "local") =>
  tenancyConfig(
    { nonce_store: "redis", rate_limit_store: "redis", redis_url_env: "LLMPOOL_REDIS_URL", on_store_failure: onStoreFailure },
    { rate_burst: 1_000 },
  );

/** The same signed bytes sent again, as an attacker who captured them would. */
function capture(pool: SecuredPool, prompt: string) {
  const body = inferBody(prompt);
  const headers = signedHeaders({ body }, pool.clock);
  return (to: SecuredPool = pool) => rawRequest(to.baseUrl, { path: "/v1/infer", headers, body });
}

describe("replays after a Redis outage in on_store_failure = 'local' (R-SEC-2)", () => {
  let redis: RedisProcess;
  let admin: Redis;
  let replicas: SecuredPool[];
  const clock = new FakeClock(NOW_S * 1000 + 250);

  beforeAll(async () => {
    redis = await startRedis();
    admin = createFailFastRedis(redis.url, { commandTimeoutMs: 2_000 });
    await redisReady(admin);
    const env = { ...specEnv, LLMPOOL_REDIS_URL: redis.url };
    replicas = await Promise.all(
      [0, 1].map(() =>
        startSecuredPool({ tenancy: redisTenancy("local"), clock, security: { env, onStoreFailure: "local", storeDownForMs: 300 } }),
      ),
    );
    await Promise.all(replicas.map((r) => r.security.ready(5_000)));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    admin.disconnect();
    await redis.stop();
  });

  /** Redis stays up with its data but refuses every write, as with too few replicas for min-replicas-to-write. */
  const refuseWrites = (on: boolean) => admin.config("SET", "min-replicas-to-write", on ? "1" : "0");

  it("R-SEC-2: a request accepted from memory while Redis refused writes is refused again once Redis is back, on the same replica and on another", async () => {
    const [first, second] = replicas as [SecuredPool, SecuredPool];
    const replay = capture(first, "during the outage");
    await refuseWrites(true);
    try {
      expect((await replay()).status).toBe(200); // Redis refused the write: this replica's memory holds the nonce
    } finally {
      await refuseWrites(false);
    }
    await clock.advance(400); // past storeDownForMs: Redis is asked again
    expect((await signedInfer(first)).status).toBe(200); // Redis answers again
    expect((await replay()).status).toBe(401);
    expect((await replay(second)).status).toBe(401);
  });

  it("no request produced an internal error", () => {
    for (const r of replicas) expect(r.errors).toEqual([]);
  });
});

describe("nonces lost when the store is wiped: the store epoch (R-SEC-2)", () => {
  it("R-SEC-2: after Redis restarts empty, a request signed before the restart is refused and a fresh one passes", async () => {
    const redis = await startRedis();
    const clock = new FakeClock(NOW_S * 1000 + 250);
    const pool = await startSecuredPool({
      tenancy: redisTenancy("refuse"),
      clock,
      security: { env: { ...specEnv, LLMPOOL_REDIS_URL: redis.url }, storeDownForMs: 300 },
    });
    try {
      await pool.security.ready(5_000);
      const replay = capture(pool, "before the wipe");
      expect((await replay()).status).toBe(200);
      await redis.crash();
      await clock.advance(2_000); // the time Redis takes to come back
      await redis.restart(); // no persistence: every nonce is gone
      await pool.security.ready(5_000);
      const refused = await replay();
      expect(refused.status).toBe(401);
      expect(refused.json()).toMatchObject({ code: "unauthenticated" });
      expect((await signedInfer(pool)).status).toBe(200);
      expect(pool.errors).toEqual([]);
    } finally {
      await pool.close();
      await redis.stop();
    }
  });

  it("R-SEC-2: after the pool restarts on the memory store, a request signed before the restart is refused and a fresh one passes", async () => {
    const clock = new FakeClock(NOW_S * 1000 + 250);
    const before = await startSecuredPool({ clock });
    const replay = capture(before, "before the restart");
    try {
      expect((await replay()).status).toBe(200);
    } finally {
      await before.close();
    }
    await clock.advance(2_000);
    const after = await startSecuredPool({ clock });
    try {
      expect((await replay(after)).status).toBe(401);
      expect((await signedInfer(after)).status).toBe(200);
      expect(after.errors).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
