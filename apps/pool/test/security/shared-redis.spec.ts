import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
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

const sharedTenancy = (vvtv = {}) =>
  tenancyConfig({ nonce_store: "redis", rate_limit_store: "redis", redis_url_env: "LLMPOOL_REDIS_URL" }, { rate_rps: 0.01, rate_burst: 10, ...vvtv });

describe("two pool replicas sharing one real Redis (R-SEC-2, R-SEC-5)", () => {
  let redis: RedisProcess;
  let replicas: SecuredPool[];
  const clock = new FakeClock(NOW_S * 1000 + 250);

  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...specEnv, LLMPOOL_REDIS_URL: redis.url };
    replicas = await Promise.all(
      [0, 1].map(() => startSecuredPool({ tenancy: sharedTenancy(), clock, security: { env, redisOptions: { commandTimeoutMs: 200 }, storeDownForMs: 300 } })),
    );
    await Promise.all(replicas.map((r) => r.security.ready(5_000)));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await redis.stop();
  });
  beforeEach(() => {
    for (const r of replicas) r.tenancy = sharedTenancy();
  });

  it("R-SEC-2: of 40 concurrent copies of one signed request spread over both replicas, exactly one is accepted", async () => {
    const headers = signedHeaders({ body: inferBody("once") }, clock);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => rawRequest(replicas[i % 2]!.baseUrl, { path: "/v1/infer", headers, body: inferBody("once") })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(39);
  });

  it("R-SEC-5: the exact count across replicas: 30 concurrent requests against burst 10 -> 10 answered, 20 refused with Retry-After", async () => {
    for (const r of replicas) r.tenancy = sharedTenancy({ projects: ["exact"] });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signedInfer(replicas[i % 2]!, { body: inferBody(`n${i}`) })));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.json()).toMatchObject({ code: "resource_exhausted" });
      expect(r.headers["retry-after"]).toBe("100");
      expect(r.headers["ratelimit-policy"]).toBe('"infer";q=10;w=1000');
      expect(r.headers.ratelimit).toBe('"infer";r=0;t=1000');
    }
    // Answers carry the remaining count; each value 0..9 was handed out once.
    const remaining = results.filter((r) => r.status === 200).map((r) => Number(/r=(\d+)/.exec(String(r.headers.ratelimit))![1]));
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("Redis frozen (SIGSTOP): signed requests are refused 503 within the bound; served again once it thaws", async () => {
    for (const r of replicas) r.tenancy = sharedTenancy({ projects: ["frozen"], rate_burst: 1_000 });
    redis.freeze();
    try {
      const started = performance.now();
      const res = await signedInfer(replicas[0]!);
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ code: "unavailable" });
      expect(performance.now() - started).toBeLessThan(1_200);
    } finally {
      redis.thaw();
    }
    await clock.advance(400); // past storeDownForMs, when Redis is asked again
    expect((await signedInfer(replicas[0]!)).status).toBe(200);
  });

  it("Redis killed (SIGKILL): refused 503 at once; served again after it restarts", async () => {
    for (const r of replicas) r.tenancy = sharedTenancy({ projects: ["killed"], rate_burst: 1_000 });
    await redis.crash();
    try {
      const started = performance.now();
      const results = await Promise.all([signedInfer(replicas[0]!), signedInfer(replicas[1]!)]);
      expect(results.map((r) => r.status)).toEqual([503, 503]);
      expect(performance.now() - started).toBeLessThan(1_200);
    } finally {
      await redis.restart();
    }
    await Promise.all(replicas.map((r) => r.security.ready(5_000)));
    await clock.advance(400);
    expect((await signedInfer(replicas[1]!)).status).toBe(200);
  });

  it("no request produced an internal error", () => {
    for (const r of replicas) expect(r.errors).toEqual([]);
  });
});

describe("local fallback when Redis is down (configured behaviour 'local')", () => {
  let redis: RedisProcess;
  let pool: SecuredPool;
  const degraded: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    pool = await startSecuredPool({
      tenancy: sharedTenancy({ rate_burst: 1_000 }),
      security: {
        env: { ...specEnv, LLMPOOL_REDIS_URL: redis.url },
        onStoreFailure: "local",
        redisOptions: { commandTimeoutMs: 200 },
        observer: { storeDegraded: (store, outcome) => degraded.push(`${outcome}:${store}`) },
      },
    });
    await pool.security.ready(5_000);
  });
  afterAll(async () => {
    await pool.close();
    await redis.stop();
  });

  it("a killed Redis: requests are served with local replay protection and limits, and the fallback is reported", async () => {
    await redis.crash();
    const headers = signedHeaders({ body: inferBody() }, pool.clock);
    const first = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody() });
    const replay = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody() });
    expect([first.status, replay.status]).toEqual([200, 401]);
    expect(degraded).toEqual(expect.arrayContaining(["local_fallback:nonce", "local_fallback:rate_limit"]));
  });
});
