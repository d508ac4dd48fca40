// R-OBS-1 on the assembled pool: after real traffic, /metrics carries each metric with its labels,
// and every log line carries the fields of R-OBS-2.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../e2e/pool-harness.js";
import { sendTraffic, startTrafficPool, type TrafficPool } from "./traffic.js";

let traffic: TrafficPool;
let statuses: number[];
beforeAll(async () => {
  traffic = await startTrafficPool();
  statuses = await sendTraffic(traffic.pool.url, 6);
});
afterAll(() => traffic?.stop());

async function scrape(): Promise<string> {
  const res = await fetch(`${traffic.pool.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The label names of every series of `family` (the `le` of histogram buckets left out). */
function labelSets(body: string, family: string): string[] {
  const sets = new Set<string>();
  for (const line of body.split("\n")) {
    const match = new RegExp(`^${family}(?:_bucket|_count|_sum)?(?:\\{([^}]*)\\})? `).exec(line);
    if (!match) continue;
    const names = [...(match[1] ?? "").matchAll(/(\w+)="/g)].map((m) => m[1]).filter((n) => n !== "le");
    sets.add(names.join(","));
  }
  return [...sets];
}

/**
 * Every family the traffic reaches, with its labels. The rest need what this pool does not have
 * and are checked where it is: auth, rate limits, quotas, security stores and JWKS on a real
 * Redis (test/security), transport refusals (test/http2-limits.spec.ts, transport-metrics.spec.ts),
 * cache store errors and not-stored answers (libs/telemetry metrics.spec.ts), the other ways in
 * than REST (every-way-in.spec.ts).
 */
const EXPECTED: Record<string, string> = {
  llmpool_infer_duration_ms: "tenant,project,task,strategy,provider,api,transport,mode",
  llmpool_time_to_first_token_ms: "tenant,project,task,strategy,provider,api,transport",
  llmpool_requests_total: "tenant,project,task,strategy,api,transport,mode,code",
  llmpool_timeouts_total: "tenant,project,task,strategy",
  llmpool_infer_in_flight: "",
  llmpool_ready: "",
  llmpool_ensemble_decision_total: "task,strategy,applied",
  llmpool_ensemble_fallback_total: "task,from,to,reason",
  llmpool_provider_call_duration_ms: "provider,task,role,status",
  llmpool_provider_tokens_total: "provider,task,kind",
  llmpool_hedges_fired_total: "provider,task",
  llmpool_hedges_won_total: "provider,task",
  llmpool_provider_win_rate: "provider,task",
  llmpool_provider_health: "provider,state",
  llmpool_breaker_state: "provider,task,state",
  llmpool_breaker_open_total: "provider,task",
  llmpool_cache_lookups_total: "task,outcome",
  llmpool_cache_hit_ratio: "",
  llmpool_cache_bypassed_total: "task,reason",
  llmpool_cache_stores_total: "task",
  llmpool_cache_stored_bytes_total: "task",
  llmpool_idempotency_total: "outcome",
  llmpool_config_reload_total: "result",
  llmpool_config_last_reload_success: "",
};

describe("/metrics after real traffic (R-OBS-1)", () => {
  it("served the workload: answers, and the timeouts and failures the config provokes", () => {
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(20);
    expect(statuses).toContain(504);
  });

  it("carries each metric with its labels", async () => {
    // A config reload, so llmpool_config_reload_total has a series.
    writeFileSync(traffic.pool.configPath, `${readFileSync(traffic.pool.configPath, "utf8")}\n# touched\n`);
    await eventually(async () => /llmpool_config_reload_total\{result="success"\} 1/.test(await scrape()));
    const body = await scrape();
    const found = Object.fromEntries(Object.keys(EXPECTED).map((family) => [family, labelSets(body, family)]));
    expect(found).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([family, labels]) => [family, [labels]])));
  });

  it("the series say what happened: hedges won, timeouts, an open breaker, a fallback, cache hits, judge calls", async () => {
    const body = await scrape();
    expect(body).toMatch(/^llmpool_hedges_won_total\{provider="quick",task="expand_queries"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_timeouts_total\{tenant="default",project="default",task="recovery_plan",strategy="FASTEST"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_breaker_open_total\{provider="flaky",task="enrich_metadata"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_breaker_state\{provider="flaky",task="enrich_metadata",state="(open|half_open)"\} 1/m);
    expect(body).toMatch(/^llmpool_provider_call_duration_ms_count\{provider="flaky",task="enrich_metadata",role="candidate",status="error"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_provider_call_duration_ms_count\{provider="quick",task="rerank_candidates",role="judge",status="ok"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_ensemble_fallback_total\{task="rerank_candidates",from="JUDGE",/m);
    expect(body).toMatch(/^llmpool_cache_lookups_total\{task="site_tactics",outcome="hit"\} [1-9]/m);
    expect(body).toMatch(/^llmpool_provider_win_rate\{provider="quick",task="enrich_metadata"\} /m);
    expect(body).toMatch(/^llmpool_infer_in_flight 0$/m);
  });
});

describe("request logs (R-OBS-2)", () => {
  it("every request's line carries request_id, tenant, project, task, strategy, winner model, duration_ms, from_cache and the way in, and no prompt", () => {
    const lines = traffic.pool.logs().filter((l) => l.msg === "infer");
    expect(lines).toHaveLength(statuses.length);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(["request_id", "tenant", "project", "task", "strategy", "winner_model", "duration_ms", "from_cache", "api", "transport", "mode"]),
      );
      expect(line).toMatchObject({ api: "native", transport: "http", mode: expect.stringMatching(/^(unary|stream)$/) });
      expect(typeof line.request_id).toBe("string");
      expect((line.request_id as string).length).toBeGreaterThan(0);
      expect(typeof line.duration_ms).toBe("number");
      expect(typeof line.from_cache).toBe("boolean");
      expect(JSON.stringify(line)).not.toContain("ambient playlist");
    }
    expect(lines.some((l) => l.from_cache === true)).toBe(true);
    expect(lines.some((l) => l.outcome === "ok" && l.winner_model === "quick:1b")).toBe(true);
    // Streamed answers, and only they, say when their first token went out.
    const streamed = lines.filter((l) => l.mode === "stream" && l.outcome === "ok");
    expect(streamed.length).toBeGreaterThan(0);
    for (const line of streamed) expect(line.first_token_ms as number).toBeLessThanOrEqual(line.duration_ms as number);
    for (const line of lines.filter((l) => l.mode === "unary")) expect(line).not.toHaveProperty("first_token_ms");
  });
});
