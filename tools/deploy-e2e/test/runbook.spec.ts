// Every command of RUNBOOK_llmpool.md, run in the situation it is for: a pool (TLS, client
// certificates required) with its stores on a real Redis, behind the shipped gateway.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  httpsRequest,
  inferBody,
  KEY_B,
  KEY_ENV,
  METERED,
  METRICS_KEY,
  REDIS_URL_ENV,
  signedRestHeaders,
  startDeployment,
  type Deployment,
  type TenantKey,
} from "../src/index.js";
import { runBlock, testedBlocks, untestedShellBlocks } from "./doc-blocks.js";

const DOC = "RUNBOOK_llmpool.md";
const blocks = testedBlocks(DOC);
const block = (name: string) => {
  const text = blocks.get(name);
  if (!text) throw new Error(`${DOC} has no tested block ${name}`);
  return text;
};

describe("RUNBOOK_llmpool.md, case by case (R-DEP-3)", () => {
  let d: Deployment;
  let env: Record<string, string>;
  let original: string;
  /** A runbook block after the page's metrics helper, as an operator's shell would have it. */
  const run = (name: string) => runBlock(`${block("metrics-helper")}\n${block(name)}`, env);
  const infer = (key: TenantKey = d.key, extra: Record<string, unknown> = {}) => {
    const body = inferBody(`runbook ${Math.random()}`, extra);
    return httpsRequest(`${d.gateway.url}/v1/infer`, { ca: d.certs.pem(d.certs.edgeCa) }, { body, headers: signedRestHeaders(key, body) });
  };
  const metrics = async () => (await runBlock(`${block("metrics-helper")}\npool_metrics`, env)).stdout;
  const until = async (check: () => Promise<boolean>, what: string) => {
    const end = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`not in time: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** Writes the config and waits until the pool has tried it (one more reload counted). */
  const edit = async (toml: string) => {
    const count = (text: string) => [...text.matchAll(/^llmpool_config_reload_total\{result="\w+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    const before = count(await metrics());
    writeFileSync(d.configPath, toml);
    await until(async () => count(await metrics()) > before, "the pool reloads its config");
  };

  beforeAll(async () => {
    d = await startDeployment({
      redis: true,
      engineLatencyMs: 5,
      // Breakers that open after 5 calls and try again after 1 s, so the breaker case fits in a test.
      pool: { metricsPublic: false, extraToml: "\n[breaker]\nwindow_size = 10\nmin_calls = 5\nopen_ms = 1000\n" },
    });
    original = readFileSync(d.configPath, "utf8");
    env = {
      CERTS: d.certs.dir,
      POOL: d.pools[0]!.address,
      LLMPOOL_CONFIG: d.configPath,
      LLMPOOL_REDIS_URL: d.redis!.url,
      [KEY_ENV]: d.key.secret,
      [KEY_B.keyEnv]: d.keyB.secret,
      [METERED.keyEnv]: d.meteredKey.secret,
      [METRICS_KEY.keyEnv]: d.metricsKey.secret,
      LLMPOOL_METRICS_KEY_ID: d.metricsKey.keyId,
      LLMPOOL_METRICS_SECRET: d.metricsKey.secret,
      GATEWAY_PREFIX: d.gateway.prefix,
    };
    expect(REDIS_URL_ENV).toBe("LLMPOOL_REDIS_URL");
  });
  afterAll(() => d?.close());

  it("R-DEP-3: every shell block on the page is a tested one", () => {
    expect(untestedShellBlocks(DOC)).toEqual([]);
    expect([...blocks.keys()].sort()).toEqual(
      ["breaker-open", "config-backup", "config-rollback", "key-rotation", "kill-switch", "metrics-helper", "provider-health", "redis-back", "redis-down", "saturation"].sort(),
    );
  });

  it("R-DEP-3: provider down — the health gauge shows the provider unhealthy, then healthy once its engine is back", async () => {
    expect((await infer()).status).toBe(200);
    expect(await run("provider-health")).toMatchObject({ code: 0, stdout: 'llmpool_provider_health{provider="fast",state="healthy"} 1\n' });
    const healthy = { seed: 1, slots: 64, models: { "fast:1b": { latency: { kind: "fixed" as const, ms: 5 } } } };
    d.engine.setScenario({ ...healthy, models: { "fast:1b": { ...healthy.models["fast:1b"], faults: { probabilities: { http_500: 1 } } } } });
    try {
      expect((await infer()).status).toBe(503);
      // Degraded after the first failure, unhealthy after more; either takes it out of rotation.
      expect((await run("provider-health")).stdout).toMatch(/^llmpool_provider_health\{provider="fast",state="(degraded|unhealthy)"\} 1\n$/);
    } finally {
      d.engine.setScenario(healthy);
    }
    await until(async () => (await infer()).status === 200, "the provider is probed healthy again");
    expect((await run("provider-health")).stdout).toBe('llmpool_provider_health{provider="fast",state="healthy"} 1\n');
  });

  it("R-DEP-3: saturation — timeouts, limits, latency counts, the engines' queues and the event loop's lag are exported", async () => {
    const out = await run("saturation");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^llmpool_infer_duration_ms_count\{tenant="vvtv",project="planner",task="expand_queries",strategy="FASTEST",provider="fast",api="native",transport="http",mode="unary"\} \d+$/m);
    expect(out.stdout).toMatch(/^llmpool_process_nodejs_eventloop_lag_p99_seconds \d/m);
    expect(out.stdout).toMatch(/^llmpool_engine_concurrency_limit\{engine="[^"]+"\} \d+$/m);
    expect(out.stdout).toMatch(/^llmpool_engine_queued\{engine="[^"]+"\} \d+$/m);
  });

  it("R-DEP-3: breaker open — an engine far slower than its own typical time opens the breaker, the counter shows it, and it closes again", async () => {
    const healthy = { seed: 1, slots: 64, models: { "fast:1b": { latency: { kind: "fixed" as const, ms: 5 } } } };
    // Three answers teach the pool the engine's typical time (5 ms), against which slowness is judged (R-QOS-4).
    for (let i = 0; i < 3; i++) expect((await infer()).status).toBe(200);
    d.engine.setScenario({ ...healthy, models: { "fast:1b": { latency: { kind: "fixed", ms: 600 } } } });
    try {
      const statuses: number[] = [];
      let refused = "";
      for (let i = 0; i < 12 && !refused.includes("circuit breaker open"); i++) {
        const res = await infer(d.key, { deadlineMs: 150 });
        statuses.push(res.status);
        if (res.status === 503) refused = res.text;
      }
      expect(refused, `statuses: ${statuses.join(", ")}`).not.toBe("");
      // Timeouts far past the engine's own typical 5 ms are engine slowness (R-QOS-4) and count as failures;
      // once they pass the failure rate, the provider is skipped without a call, and the query is told why.
      expect(statuses.filter((s) => s === 504).length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused)).toMatchObject({ code: "unavailable", message: expect.stringMatching(/fast: circuit breaker open; next probe in \d+ s/) });
      const out = await run("breaker-open");
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^llmpool_breaker_open_total\{provider="fast",task="expand_queries"\} 1$/m);
    } finally {
      d.engine.setScenario(healthy);
    }
    await until(async () => (await infer()).status === 200, "the breaker lets a trial call through and closes");
  });

  it("R-DEP-3: kill switch — a disabled task is refused with 503 before any engine, and re-enabled by the same edit", async () => {
    await edit(original.replace('output = "text"', 'output = "text"\nenabled = false'));
    const calls = d.engine.record().length;
    const refused = await infer();
    expect(refused.status).toBe(503);
    expect(d.engine.record().length).toBe(calls);
    const out = await run("kill-switch");
    expect(out.stdout).toMatch(/^llmpool_config_reload_total\{result="success"\} \d+$/m);
    expect(out.stdout).toMatch(/^llmpool_requests_total\{.*task="expand_queries".*code="unavailable"\} \d+$/m);
    await edit(original);
    expect((await infer()).status).toBe(200);
  });

  it("R-DEP-3: key rotation — B added, checked and used; A removed is 401", async () => {
    const both = original.replace(
      /keys = \[\{ id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" \}\]/,
      'keys = [\n  { id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" },\n  { id = "vvtv-b", secret_env = "LLMPOOL_KEY_VVTV_B" },\n]',
    );
    expect(both).not.toBe(original);
    expect((await infer(d.keyB)).status).toBe(401);
    await edit(both);
    expect((await infer(d.keyB)).status).toBe(200);
    const out = await run("key-rotation");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/: OK, version [0-9a-f]{16} \(1 provider, 1 engine, 6 of 6 tasks enabled, 3 tenants, auth hmac\)\n/);
    expect(out.stdout).toMatch(/^llmpool_config_last_reload_success 1$/m);
    expect(out.stdout).toMatch(/^llmpool_auth_key_last_used_seconds\{key_id="vvtv-b",tenant="vvtv"\} \d+/m);
    await edit(both.replace('  { id = "vvtv-a", secret_env = "LLMPOOL_KEY_VVTV_A" },\n', ""));
    expect((await infer(d.key)).status).toBe(401);
    expect((await infer(d.keyB)).status).toBe(200);
    await edit(original);
  });

  it("R-DEP-3: config rollback — a refused edit keeps the old config, and the rollback puts the previous file back", async () => {
    expect((await run("config-backup")).code).toBe(0);
    await edit(original.replace("max_tokens_cap = 256", "max_tokens_cap = -5"));
    expect(await metrics()).toMatch(/^llmpool_config_last_reload_success 0$/m);
    expect((await infer()).status).toBe(200);
    const out = await run("config-rollback");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/llm-pool\.toml:\d+:\d+ qos\.max_tokens_cap: /);
    expect(readFileSync(d.configPath, "utf8")).toBe(original);
    await until(async () => /^llmpool_config_last_reload_success 1$/m.test(await metrics()), "the restored file is applied");
  });

  it("R-DEP-3: Redis down — requests are 503, the checks say so; back, the pool serves again and the counters show the cost", async () => {
    await d.redis!.crash();
    expect((await infer()).status).toBe(503);
    expect((await infer()).status).toBe(503);
    const down = await run("redis-down");
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^Redis does not answer\n[1-9]\d*\n$/);
    // The operator's signed GET /metrics needs the nonce store as well.
    expect((await runBlock(`${block("metrics-helper")}\npool_metrics`, env)).stdout).toContain('"code":"unavailable"');
    await d.redis!.restart();
    await until(async () => (await infer()).status === 200, "the pool serves again once Redis is back");
    const back = await run("redis-back");
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^PONG$/m);
    expect(back.stdout).toMatch(/^llmpool_security_store_degraded_total\{store="nonce",outcome="refused"\} [1-9]\d*$/m);
    expect(back.stdout).toMatch(/^llmpool_auth_refused_total\{scheme="hmac",reason="store_unavailable"\} [1-9]\d*$/m);
  });
});
