import type { EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

describe("the status page's summary is read from the metrics (R-OBS-1)", () => {
  it("sums latency percentiles and timeouts per task over every other label, and reads health, breakers, win-rates, cache and hedges", async () => {
    const m = createMetrics({ defaultMetrics: false });
    const labels = (tenant: string, provider: string) =>
      ({ tenant, project: "p", task: "expand_queries", strategy: "FASTEST", provider, api: "native", transport: "http", mode: "unary" }) as const;
    for (let i = 0; i < 90; i++) m.observeInfer(labels("a", "phi3"), { durationMs: 300, code: "ok" });
    for (let i = 0; i < 9; i++) m.observeInfer(labels("b", "qwen"), { durationMs: 800, code: "ok" });
    m.observeInfer(labels("b", "none"), { durationMs: 2500, code: "deadline_exceeded" });
    m.watchProviderHealth(() => [{ name: "phi3", state: "healthy" }, { name: "qwen", state: "unhealthy" }]);
    m.watchBreakers(() => [{ provider: "qwen", task: "expand_queries", state: "open" }, { provider: "phi3", task: "expand_queries", state: "closed" }]);
    m.watchWinRates(() => [{ provider: "phi3", task: "judge", rate: 0.7 }]);
    m.watchReadiness(() => ({ ready: true }));
    m.cache.hit("expand_queries");
    m.cache.miss("expand_queries");
    m.ensemble.callStarted({ provider: "qwen", model: "q", task: "expand_queries", role: "hedge" });
    for (let i = 0; i < 4; i++) {
      m.ensemble.decided({ task: "expand_queries", strategy: "FASTEST" } as EnsemblePlan, { strategyApplied: "FASTEST", winnerId: "c1", candidates: [], fallbacks: [] } as unknown as EnsembleOutcome);
    }

    const status = await m.status();
    expect(status.ready).toBe(true);
    expect(status.tasks).toEqual([
      { task: "expand_queries", requests: 100, timeouts: 1, p50: 200 + (150 * 50) / 90, p95: 750 + (150 * 5) / 9, p99: 900 },
    ]);
    expect(status.providers).toEqual([
      { name: "phi3", health: "healthy", breakers: [{ task: "expand_queries", state: "closed" }] },
      { name: "qwen", health: "unhealthy", breakers: [{ task: "expand_queries", state: "open" }] },
    ]);
    expect(status.winRates).toEqual([{ provider: "phi3", task: "judge", rate: 0.7 }]);
    expect(status.cacheHitRatio).toBe(0.5);
    expect(status.hedgesFired).toBe(1);
    expect(status.hedgeRate).toBe(0.25);
  });
});
