import { Gauge } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

const labels = { tenant: "vvtv", project: "planner", task: "expand_queries", strategy: "FASTEST", provider: "p1", api: "native", transport: "grpc", mode: "unary" } as const;

describe("pool metrics (R-OBS-1)", () => {
  it("records infer durations with every R-OBS-1 label and counts requests by code", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.observeInfer(labels, { durationMs: 420, code: "ok" });
    m.observeInfer(labels, { durationMs: 1600, code: "deadline_exceeded" });
    const { body, contentType } = await m.render();
    expect(contentType).toContain("text/plain");
    const scope = 'tenant="vvtv",project="planner",task="expand_queries",strategy="FASTEST"';
    expect(body).toContain(`llmpool_infer_duration_ms_bucket{le="500",${scope},provider="p1",api="native",transport="grpc",mode="unary"} 1`);
    expect(body).toContain(`llmpool_infer_duration_ms_count{${scope},provider="p1",api="native",transport="grpc",mode="unary"} 2`);
    expect(body).toContain(`llmpool_requests_total{${scope},api="native",transport="grpc",mode="unary",code="ok"} 1`);
    expect(body).toContain(`llmpool_timeouts_total{${scope}} 1`);
  });

  it("R-OBS-1 times the first token of streamed calls only, by the way they came in", async () => {
    const m = createMetrics({ defaultMetrics: false });
    const stream = { ...labels, api: "openai", transport: "http", mode: "stream" } as const;
    m.observeInfer(stream, { durationMs: 900, code: "ok", firstTokenMs: 180 });
    m.observeInfer(labels, { durationMs: 400, code: "ok" });
    // A stream that failed before its first token counts as a request, with no first token.
    m.observeInfer({ ...stream, provider: "none" }, { durationMs: 300, code: "unavailable" });
    const { body } = await m.render();
    const scope = 'tenant="vvtv",project="planner",task="expand_queries",strategy="FASTEST"';
    expect(body).toContain(`llmpool_time_to_first_token_ms_bucket{le="200",${scope},provider="p1",api="openai",transport="http"} 1`);
    expect(body).toContain(`llmpool_time_to_first_token_ms_bucket{le="100",${scope},provider="p1",api="openai",transport="http"} 0`);
    expect(body.match(/^llmpool_time_to_first_token_ms_count\{.*$/gm)).toEqual([`llmpool_time_to_first_token_ms_count{${scope},provider="p1",api="openai",transport="http"} 1`]);
    expect(body).toContain(`llmpool_requests_total{${scope},api="openai",transport="http",mode="stream",code="unavailable"} 1`);
    expect(body).toContain(`llmpool_requests_total{${scope},api="native",transport="grpc",mode="unary",code="ok"} 1`);
  });

  it("tracks config reloads and whether the last one succeeded", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.observeConfigReload("success");
    m.observeConfigReload("failure");
    const { body } = await m.render();
    expect(body).toContain('llmpool_config_reload_total{result="success"} 1');
    expect(body).toContain('llmpool_config_reload_total{result="failure"} 1');
    expect(body).toMatch(/^llmpool_config_last_reload_success 0$/m);
  });

  it("counts circuit breaker openings per provider and task", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.observeBreakerOpen("ollama-phi3-mini", "expand_queries");
    expect((await m.render()).body).toContain('llmpool_breaker_open_total{provider="ollama-phi3-mini",task="expand_queries"} 1');
  });

  it("reports the cache hit ratio from hits, coalesced misses and misses (R-OBS-1)", async () => {
    const m = createMetrics({ defaultMetrics: false });
    expect((await m.render()).body).toMatch(/^llmpool_cache_hit_ratio 0$/m);
    m.cache.hit("judge");
    m.cache.coalesced("judge");
    m.cache.miss("judge");
    m.cache.miss("judge");
    const { body } = await m.render();
    expect(body).toMatch(/^llmpool_cache_hit_ratio 0\.5$/m);
    expect(body).toContain('llmpool_cache_lookups_total{task="judge",outcome="miss"} 2');
  });

  it("counts what the cache stored, skipped and failed, and what idempotency did", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.cache.bypassed("judge", "no_store");
    m.cache.stored("judge", 300);
    m.cache.stored("judge", 200);
    m.cache.notStored("judge", "too_large");
    m.cache.storeFailed("cache", "get");
    m.cache.idempotency("replayed");
    const { body } = await m.render();
    expect(body).toContain('llmpool_cache_bypassed_total{task="judge",reason="no_store"} 1');
    expect(body).toContain('llmpool_cache_stores_total{task="judge"} 2');
    expect(body).toContain('llmpool_cache_stored_bytes_total{task="judge"} 500');
    expect(body).toContain('llmpool_cache_not_stored_total{task="judge",reason="too_large"} 1');
    expect(body).toContain('llmpool_cache_store_errors_total{store="cache",operation="get"} 1');
    expect(body).toContain('llmpool_idempotency_total{outcome="replayed"} 1');
  });

  it("exports provider health from its source at every scrape", async () => {
    const m = createMetrics({ defaultMetrics: false });
    let state = "healthy";
    m.watchProviderHealth(() => [{ name: "phi3", state }]);
    expect((await m.render()).body).toContain('llmpool_provider_health{provider="phi3",state="healthy"} 1');
    state = "unhealthy";
    const { body } = await m.render();
    expect(body).toContain('llmpool_provider_health{provider="phi3",state="unhealthy"} 1');
    expect(body).toContain('llmpool_provider_health{provider="phi3",state="healthy"} 0');
  });

  it("R-OBS-1: exports llmpool_provider_win_rate{provider,task} from its source at every scrape", async () => {
    const m = createMetrics({ defaultMetrics: false });
    expect((await m.render()).body).not.toMatch(/^llmpool_provider_win_rate\{/m);
    let pairs = [
      { provider: "phi3", task: "judge", rate: 0.75 },
      { provider: "qwen", task: "judge", rate: 0.5 },
    ];
    m.watchWinRates(() => pairs);
    let body = (await m.render()).body;
    expect(body).toContain('llmpool_provider_win_rate{provider="phi3",task="judge"} 0.75');
    expect(body).toContain('llmpool_provider_win_rate{provider="qwen",task="judge"} 0.5');
    // A provider gone from the source is gone from the next scrape.
    pairs = [{ provider: "phi3", task: "judge", rate: 0.8 }];
    body = (await m.render()).body;
    expect(body).toContain('llmpool_provider_win_rate{provider="phi3",task="judge"} 0.8');
    expect(body).not.toContain('provider="qwen"');
  });

  it("keeps registries apart, so two pools in one process never share counters", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.observeInfer(labels, { durationMs: 10, code: "ok" });
    expect((await b.render()).body).not.toContain('code="ok"');
  });
});

describe("metrics audiences", () => {
  it("renders the operator registry only for the operator audience", async () => {
    const m = createMetrics({ defaultMetrics: false });
    new Gauge({ name: "llmpool_spec_operator_only", help: "operator only", registers: [m.operatorRegistry] }).set(1);
    m.observeConfigReload("success");
    const publicBody = (await m.render("public")).body;
    expect(publicBody).toContain("llmpool_config_reload_total");
    expect(publicBody).not.toContain("llmpool_spec_operator_only");
    expect((await m.render()).body).toBe(publicBody);
    const operatorBody = (await m.render("operator")).body;
    expect(operatorBody).toContain("llmpool_config_reload_total");
    expect(operatorBody).toMatch(/^llmpool_spec_operator_only 1$/m);
  });
});
