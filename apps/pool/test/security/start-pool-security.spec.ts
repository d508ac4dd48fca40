import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { systemClock } from "@llm-pool/core";
import { createProviderPool } from "@llm-pool/providers";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { createLogger } from "@llm-pool/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool, type RunningPool } from "../../src/main.js";
import { startEngine, type MockEngine } from "../e2e/pool-harness.js";
import { inferBody, rawRequest, SECRET_A, SECRET_OPS, SECRET_OTHER, signedHeaders, signedInfer } from "./security-fixture.js";

const toml = (engineUrl: string) => `
[server]
listen = "127.0.0.1:0"
metrics_public = false

[[providers]]
name = "fast"
driver = "ollama"
base_url = "${engineUrl}"
model = "fast:1b"
engine = "mock"
max_concurrency = 4

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["fast"]
output = "text"

[tenancy]
auth = "hmac"
nonce_store = "redis"
rate_limit_store = "redis"
redis_url_env = "LLMPOOL_REDIS_URL"

[tenancy.tenants.vvtv]
projects = ["planner", "curator"]
keys = [{ id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" }]
rate_rps = 0.01
rate_burst = 4

[tenancy.tenants.other]
projects = ["ops"]
keys = [{ id = "other-a", secret_env = "LLMPOOL_KEY_OTHER" }, { id = "ops-metrics", secret_env = "LLMPOOL_KEY_OPS", scopes = ["metrics"] }]
allowed_tasks = ["judge"]
max_tokens = 64
`;

describe("the assembled pool (startPool): config [tenancy] -> security on a real Redis", () => {
  let engine: MockEngine;
  let redis: RedisProcess;
  let pool: RunningPool;
  let dir: string;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    engine = await startEngine(50);
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "llm-pool-sec-"));
    const configPath = join(dir, "llm-pool.toml");
    writeFileSync(configPath, toml(engine.url));
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(...String(chunk).trim().split("\n"));
          done();
        },
      }),
    });
    const env = { LLMPOOL_REDIS_URL: redis.url, LLMPOOL_KEY_VVTV_A: SECRET_A, LLMPOOL_KEY_OTHER: SECRET_OTHER, LLMPOOL_KEY_OPS: SECRET_OPS };
    pool = await startPool({ configPath, env, logger, providers: createProviderPool });
    url = `http://127.0.0.1:${pool.port}`;
  });
  afterAll(async () => {
    await pool.close();
    await redis.stop();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = () => ({ baseUrl: url, clock: systemClock });

  it("R-SEC-1/R-SEC-4: a signed query is answered for the key's tenant, an unsigned one is 401", async () => {
    const res = await signedInfer(target(), { body: inferBody("gatos", { projectId: "curator" }) });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ tenantId: "vvtv", projectId: "curator" });
    expect((await rawRequest(url, { path: "/v1/infer", headers: [["content-type", "application/json"]], body: inferBody() })).status).toBe(401);
  });

  it("R-SEC-4: a Query naming another tenant is refused by core's tenant binding (403)", async () => {
    const res = await signedInfer(target(), { body: inferBody("x", { tenantId: "other" }) });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ code: "permission_denied" });
  });

  it("R-SEC-5: the tenant's burst is enforced through Redis, with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signedInfer(target(), { body: inferBody(`r${i}`, { projectId: "planner" }) })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const refused = await signedInfer(target(), { body: inferBody("again", { projectId: "planner" }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("R-SEC-6: the tenant's cost policy refuses a task it does not allow and a max_tokens above its cap", async () => {
    const other = { keyId: "other-a", secret: SECRET_OTHER };
    const generations = () => engine.record().filter((e) => e.route === "/api/chat" || e.route === "/api/generate").length;
    const engineCalls = generations();
    const task = await signedInfer(target(), { ...other, body: inferBody("x", { projectId: "ops" }) });
    expect(task.status).toBe(403);
    expect(task.json()).toMatchObject({ code: "permission_denied", field: "task" });
    const judge = (extra: Record<string, unknown>) =>
      JSON.stringify({ task: "TASK_JUDGE", prompt: "pick one", projectId: "ops", ...extra });
    const tokens = await signedInfer(target(), { ...other, body: judge({ maxTokens: 65 }) });
    expect(tokens.status).toBe(400);
    expect(tokens.json()).toMatchObject({ code: "invalid_argument", field: "max_tokens" });
    expect(generations()).toBe(engineCalls); // refused before any engine call
  });

  it("/metrics is behind the metrics scope when metrics_public = false, and reports refusals and key use to operators", async () => {
    expect((await rawRequest(url, { method: "GET", path: "/metrics" })).status).toBe(401);
    const scrape = (keyId: string, secret: string) => {
      const headers = signedHeaders({ keyId, secret, method: "GET", path: "/metrics", contentType: "" }, systemClock).filter(([n]) => n !== "content-type");
      return rawRequest(url, { method: "GET", path: "/metrics", headers });
    };
    expect((await scrape("other-a", SECRET_OTHER)).status).toBe(403);
    const res = await scrape("ops-metrics", SECRET_OPS);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/llmpool_auth_refused_total\{scheme="none",reason="missing_credentials"\} \d+/);
    expect(res.text).toMatch(/llmpool_auth_key_last_used_seconds\{key_id="vvtv-a",tenant="vvtv"\} \d+/);
    expect(res.text).toMatch(/llmpool_rate_limited_total\{tenant="vvtv",project="planner"\} \d+/);
    expect(lines.some((l) => l.includes("request refused by the auth step"))).toBe(true);
  });
});
