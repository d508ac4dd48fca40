import type { CandidateRecord, EnsembleOutcome, EnsemblePlan } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

function record(id: string, provider: string, hedged: boolean): CandidateRecord {
  return { id, provider, model: "m", latencyMs: 10, status: "ok", score: 1, hedged };
}

const plan = { task: "expand_queries", strategy: "FASTEST" } as EnsemblePlan;

describe("ensemble metrics (R-OBS-1)", () => {
  it("times each provider call by provider, task, role and status, and counts its tokens", async () => {
    let now = 1_000;
    const m = createMetrics({ defaultMetrics: false, now: () => now });
    const end = m.ensemble.callStarted({ provider: "phi3", model: "phi3:mini", task: "expand_queries", role: "candidate" });
    now += 420;
    end({ status: "ok", model: "phi3:mini", usage: { promptTokens: 30, completionTokens: 12 } });
    m.ensemble.callStarted({ provider: "qwen", model: "q", task: "expand_queries", role: "candidate" })({ status: "timeout", model: "q" });
    const { body } = await m.render();
    expect(body).toContain('llmpool_provider_call_duration_ms_bucket{le="500",provider="phi3",task="expand_queries",role="candidate",status="ok"} 1');
    expect(body).toContain('llmpool_provider_call_duration_ms_bucket{le="350",provider="phi3",task="expand_queries",role="candidate",status="ok"} 0');
    expect(body).toContain('llmpool_provider_call_duration_ms_count{provider="qwen",task="expand_queries",role="candidate",status="timeout"} 1');
    expect(body).toContain('llmpool_provider_tokens_total{provider="phi3",task="expand_queries",kind="prompt"} 30');
    expect(body).toContain('llmpool_provider_tokens_total{provider="phi3",task="expand_queries",kind="completion"} 12');
  });

  it("counts hedges when they start and when one wins the decision", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.ensemble.callStarted({ provider: "qwen", model: "q", task: "expand_queries", role: "hedge" });
    m.ensemble.callStarted({ provider: "phi3", model: "p", task: "expand_queries", role: "candidate" });
    const outcome = {
      strategyApplied: "FASTEST",
      winnerId: "c2",
      candidates: [record("c1", "phi3", false), record("c2", "qwen", true)],
      fallbacks: [],
    } as unknown as EnsembleOutcome;
    m.ensemble.decided(plan, outcome);
    const { body } = await m.render();
    expect(body).toContain('llmpool_hedges_fired_total{provider="qwen",task="expand_queries"} 1');
    expect(body).not.toContain('llmpool_hedges_fired_total{provider="phi3"');
    expect(body).toContain('llmpool_hedges_won_total{provider="qwen",task="expand_queries"} 1');
    expect(body).toContain('llmpool_ensemble_decision_total{task="expand_queries",strategy="FASTEST",applied="FASTEST"} 1');
  });

  it("counts decisions by requested and applied strategy, and each fallback step with its reason", async () => {
    const m = createMetrics({ defaultMetrics: false });
    const outcome = {
      strategyApplied: "WEIGHTED",
      winnerId: "c1",
      candidates: [record("c1", "phi3", false)],
      fallbacks: [
        { from: "JUDGE", to: "VOTING", reason: "judge_late", detail: "" },
        { from: "VOTING", to: "WEIGHTED", reason: "no_quorum", detail: "" },
      ],
    } as unknown as EnsembleOutcome;
    m.ensemble.decided({ task: "judge", strategy: "JUDGE" } as EnsemblePlan, outcome);
    const { body } = await m.render();
    expect(body).toContain('llmpool_ensemble_decision_total{task="judge",strategy="JUDGE",applied="WEIGHTED"} 1');
    expect(body).toContain('llmpool_ensemble_fallback_total{task="judge",from="JUDGE",to="VOTING",reason="judge_late"} 1');
    expect(body).toContain('llmpool_ensemble_fallback_total{task="judge",from="VOTING",to="WEIGHTED",reason="no_quorum"} 1');
    expect(body).not.toContain("llmpool_hedges_won_total{");
  });
});

describe("state gauges read at each scrape (R-OBS-1)", () => {
  it("exports every breaker's state as one series per state", async () => {
    const m = createMetrics({ defaultMetrics: false });
    let state = "closed";
    m.watchBreakers(() => [{ provider: "phi3", task: "judge", state }]);
    expect((await m.render()).body).toContain('llmpool_breaker_state{provider="phi3",task="judge",state="closed"} 1');
    state = "open";
    const { body } = await m.render();
    expect(body).toContain('llmpool_breaker_state{provider="phi3",task="judge",state="open"} 1');
    expect(body).toContain('llmpool_breaker_state{provider="phi3",task="judge",state="closed"} 0');
    expect(body).toContain('llmpool_breaker_state{provider="phi3",task="judge",state="half_open"} 0');
  });

  it("exports readiness as llmpool_ready and Infer calls in flight", async () => {
    const m = createMetrics({ defaultMetrics: false });
    let ready = true;
    m.watchReadiness(() => ({ ready }));
    const first = m.inferStarted();
    const second = m.inferStarted();
    first();
    first();
    let body = (await m.render()).body;
    expect(body).toMatch(/^llmpool_ready 1$/m);
    expect(body).toMatch(/^llmpool_infer_in_flight 1$/m);
    ready = false;
    second();
    body = (await m.render()).body;
    expect(body).toMatch(/^llmpool_ready 0$/m);
    expect(body).toMatch(/^llmpool_infer_in_flight 0$/m);
  });
});
