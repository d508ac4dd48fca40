import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createQosMetrics } from "./qos-metrics.js";

describe("R-QOS-4 / R-QOS-5 metrics of overload", () => {
  it("counts call ends by class and reports each engine's learned limit, calls in flight and queued at scrape", async () => {
    const registry = new Registry();
    const metrics = createQosMetrics(registry);
    metrics.observeCallEnd("phi3", "expand_queries", "caller_gave_up");
    metrics.observeCallEnd("phi3", "expand_queries", "caller_gave_up");
    metrics.observeCallEnd("phi3", "expand_queries", "overload");
    let engines = [{ engine: "mac-mini", limit: 2, maxConcurrency: 4, active: 2, waiting: 3 }];
    metrics.watchEngines(() => engines);
    const text = await registry.metrics();
    expect(text).toContain('llmpool_call_end_total{provider="phi3",task="expand_queries",end="caller_gave_up"} 2');
    expect(text).toContain('llmpool_call_end_total{provider="phi3",task="expand_queries",end="overload"} 1');
    expect(text).toContain('llmpool_engine_concurrency_limit{engine="mac-mini"} 2');
    expect(text).toContain('llmpool_engine_max_concurrency{engine="mac-mini"} 4');
    expect(text).toContain('llmpool_engine_in_flight{engine="mac-mini"} 2');
    expect(text).toContain('llmpool_engine_queued{engine="mac-mini"} 3');
    engines = [];
    expect(await registry.metrics()).not.toContain('engine="mac-mini"');
  });
});
