// Readiness tells the truth: /readyz and grpc.health.v1 say NOT_SERVING while a dependency the
// config needs to answer is down, the reason goes only to an operator's credential, and liveness
// stays up. A real redis-server is frozen (SIGSTOP) and thawed (SIGCONT); a real engine port is closed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { systemClock } from "@llm-pool/core";
import { createProviderPool } from "@llm-pool/providers";
import { createLogger } from "@llm-pool/telemetry";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrpcHealthService, HealthCheckResponse_ServingStatus as Serving } from "../../src/index.js";
import { startPool, type RunningPool } from "../../src/main.js";
import { eventually, startEngine, type MockEngine } from "../e2e/pool-harness.js";
import { inferBody, rawRequest, SECRET_A, SECRET_OPS, signedHeaders, signedInfer } from "../security/security-fixture.js";

const toml = (engineUrl: string) => `
[server]
listen = "127.0.0.1:0"

[[providers]]
name = "fast"
driver = "ollama"
base_url = "${engineUrl}"
model = "fast:1b"
engine = "mock"

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["fast"]
output = "text"

[tenancy]
auth = "hmac"
# Nonces in memory, so an operator can still sign while the rate limiter's Redis is down.
nonce_store = "memory"
rate_limit_store = "redis"
redis_url_env = "LLMPOOL_REDIS_URL"
on_store_failure = "refuse"

[tenancy.tenants.vvtv]
projects = ["planner"]
keys = [{ id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" }, { id = "ops-metrics", secret_env = "LLMPOOL_KEY_OPS", scopes = ["metrics"] }]
`;

interface Started {
  readonly pool: RunningPool;
  readonly url: string;
  stop(): Promise<void>;
}

async function start(engineUrl: string, redisUrl: string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-ready-"));
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, toml(engineUrl));
  const logger = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
  const env = { LLMPOOL_REDIS_URL: redisUrl, LLMPOOL_KEY_VVTV_A: SECRET_A, LLMPOOL_KEY_OPS: SECRET_OPS };
  const pool = await startPool({ configPath, env, logger, providers: createProviderPool, storeProbeIntervalMs: 100 });
  return {
    pool,
    url: `http://127.0.0.1:${pool.port}`,
    async stop() {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function readyz(url: string, signed = false) {
  const headers = signed
    ? signedHeaders({ keyId: "ops-metrics", secret: SECRET_OPS, method: "GET", path: "/readyz", contentType: "" }, systemClock).filter(([n]) => n !== "content-type")
    : [];
  const res = await rawRequest(url, { method: "GET", path: "/readyz", headers });
  return { status: res.status, body: res.json() as Record<string, unknown> };
}

async function grpcHealth(url: string): Promise<Serving> {
  const client = createClient(GrpcHealthService, createGrpcTransport({ baseUrl: url }));
  return (await client.check({ service: "" })).status;
}

describe("readiness with the security stores' Redis in refuse mode", () => {
  let engine: MockEngine;
  let redis: RedisProcess;
  let pool: Started;
  beforeAll(async () => {
    engine = await startEngine(50);
    redis = await startRedis();
    pool = await start(engine.url, redis.url);
  });
  afterAll(async () => {
    redis?.thaw();
    await pool?.stop();
    await redis?.stop();
    await engine?.close();
  });

  it("is NOT_SERVING while Redis is frozen, with the reason only for an operator, liveness up; SERVING again once it thaws", async () => {
    expect(await readyz(pool.url)).toEqual({ status: 200, body: { ready: true } });
    expect(await grpcHealth(pool.url)).toBe(Serving.SERVING);

    redis.freeze();
    try {
      await eventually(async () => (await readyz(pool.url)).status === 503);
      expect((await readyz(pool.url)).body).toEqual({ ready: false });
      const operator = await readyz(pool.url, true);
      expect(operator.status).toBe(503);
      expect(operator.body.reasons).toEqual([expect.stringMatching(/security store \(Redis\) does not answer.*on_store_failure = "refuse"/)]);
      // A caller with a bad signature learns nothing more than an anonymous one.
      const forged = await rawRequest(pool.url, { method: "GET", path: "/readyz", headers: [["x-api-key", "ops-metrics"], ["x-signature", `v1=${"0".repeat(64)}`]] });
      expect(forged.json()).toEqual({ ready: false });
      expect(await grpcHealth(pool.url)).toBe(Serving.NOT_SERVING);
      expect((await rawRequest(pool.url, { method: "GET", path: "/healthz" })).status).toBe(200);
      // What readiness predicts is what a query meets.
      const refused = await signedInfer({ baseUrl: pool.url, clock: systemClock }, { body: inferBody("while frozen", { projectId: "planner" }) });
      expect(refused.status).toBe(503);
    } finally {
      redis.thaw();
    }
    await eventually(async () => (await readyz(pool.url)).status === 200);
    expect(await grpcHealth(pool.url)).toBe(Serving.SERVING);
    const answered = await signedInfer({ baseUrl: pool.url, clock: systemClock }, { body: inferBody("after thaw", { projectId: "planner" }) });
    expect(answered.status).toBe(200);
  });
});

describe("readiness with every provider of every enabled task unhealthy", () => {
  it("is NOT_SERVING, naming the providers to an operator, while liveness stays up", async () => {
    // A port nothing listens on: every call and every probe fails at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const redis = await startRedis();
    const pool = await start(`http://127.0.0.1:${port}`, redis.url);
    try {
      await eventually(async () => (await readyz(pool.url)).status === 503, 20_000);
      expect((await readyz(pool.url)).body).toEqual({ ready: false });
      expect((await readyz(pool.url, true)).body.reasons).toEqual([
        "no task can be answered: every provider of every enabled task is unhealthy (fast)",
      ]);
      expect(await grpcHealth(pool.url)).toBe(Serving.NOT_SERVING);
      expect((await rawRequest(pool.url, { method: "GET", path: "/healthz" })).status).toBe(200);
    } finally {
      await pool.stop();
      await redis.stop();
    }
  });
});
