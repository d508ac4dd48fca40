import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { planFor, type PlanOptions, providers, ScriptedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock, totalUsage, type EnsembleSettings, type ProviderRequest } from "@llm-pool/core";
import { buildBallot } from "./judge-prompt.js";
import { createEnsemble } from "./registry.js";
import { VERDICT_SCHEMA } from "./verdict.js";

const NAMES = ["ollama-phi3-mini", "ollama-llama31-8b", "ollama-gemma2-9b"];

async function judged(settings: Partial<EnsembleSettings> = {}, opts: PlanOptions = {}) {
  const clock = new FakeClock();
  const list = providers(...NAMES);
  const judge = new ScriptedProvider("referee");
  const ensemble = createEnsemble({ judges: (name) => (name === "referee" ? judge : undefined) });
  const run = ensemble.run(planFor(clock, "JUDGE", list, { ...opts, settings: { judgeProvider: "referee", ...settings } }));
  await clock.advance(0);
  return { clock, list, judge, run };
}

/** The anonymous id the judge's prompt gives an answer. */
function idOf(request: ProviderRequest, text: string): string {
  const match = new RegExp(`\\[answer (\\w+)\\]\\n${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`).exec(request.prompt);
  if (!match) throw new Error(`answer "${text}" not in the judge's prompt`);
  return match[1]!;
}

function verdict(winnerId: string | null, confidence = 0.9, reason = "most complete"): string {
  return JSON.stringify({ winner_id: winnerId, confidence, reason });
}

describe("JUDGE (R-ENS-4, R-QOS-2)", () => {
  it("gives the candidates exactly 70% of the deadline, then the judge the rest", async () => {
    const { clock, list, judge, run } = await judged();
    await clock.advance(100);
    list[0]!.answer("the night drive");
    await clock.advance(100);
    list[1]!.answer("a sunrise over hills");
    await clock.advance(499);
    expect(judge.started).toBe(0);
    expect(list[2]!.aborted).toBe(0);
    await clock.advance(1);
    expect(list[2]!.aborted).toBe(1);
    expect(judge.started).toBe(1);
    await clock.advance(250);
    judge.answer(verdict(idOf(judge.lastRequest, "a sunrise over hills")));
    const outcome = await run;
    expect(outcome.candidates.map((c) => [c.status, c.latencyMs])).toEqual([
      ["ok", 100],
      ["ok", 200],
      ["timeout", 700],
    ]);
    expect(outcome.judge?.latencyMs).toBe(250);
    expect(outcome.winnerId).toBe("c2");
  });

  it("starts the judge as soon as every candidate has finished, with the rest of the deadline", async () => {
    const { clock, list, judge, run } = await judged();
    await clock.advance(150);
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise over hills");
    list[2]!.fail("HTTP 500");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    // The judge keeps the whole remaining 850 ms: it is aborted at the deadline, not at 70% + 30%.
    await clock.advance(849);
    expect(judge.aborted).toBe(0);
    await clock.advance(1);
    expect(judge.aborted).toBe(1);
    const outcome = await run;
    expect(outcome.judge?.status).toBe("timeout");
    expect(outcome.judge?.latencyMs).toBe(850);
  });

  it("asks for a short, deterministic verdict in the verdict schema", async () => {
    const { clock, list, judge, run } = await judged({ judgeMaxTokens: 512 }, { seed: 9 });
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise over hills");
    list[2]!.answer("city lights");
    await clock.advance(0);
    const request = judge.lastRequest;
    expect(request.maxTokens).toBe(128);
    expect(request.temperature).toBe(0);
    expect(request.seed).toBe(9);
    expect(request.task).toBe("judge");
    expect(request.output).toEqual({ kind: "json_schema", schema: VERDICT_SCHEMA });
    judge.answer(verdict(idOf(request, "city lights")));
    expect((await run).winnerId).toBe("c3");
  });

  it("sends the verdict on the query's tenant's share, ahead of that tenant's waiting calls (R-QOS-5)", async () => {
    const clock = new FakeClock();
    const list = providers(...NAMES);
    const judge = new ScriptedProvider("referee");
    const ensemble = createEnsemble({ judges: () => judge });
    const plan = planFor(clock, "JUDGE", list, { settings: { judgeProvider: "referee" } });
    const run = ensemble.run({ ...plan, request: { ...plan.request, tenant: "acme", priority: 9 } });
    await clock.advance(0);
    list.forEach((p, i) => p.answer(`answer number ${i + 1}`));
    await clock.advance(0);
    // Task priorities go from 0 to 9: the verdict goes before any of them in the engine queue.
    expect([judge.lastRequest.tenant, judge.lastRequest.priority]).toEqual(["acme", 10]);
    judge.answer(verdict(idOf(judge.lastRequest, "answer number 1")));
    expect((await run).strategyApplied).toBe("JUDGE");
  });

  it("shows the judge anonymous answers: no provider or model name reaches its prompt", async () => {
    const { clock, list, judge, run } = await judged({}, { prompt: "Pick a mood for slot 86", system: "Answer in a few words." });
    list.forEach((p, i) => p.answer(`answer number ${i + 1}`));
    await clock.advance(0);
    const { system, prompt } = judge.lastRequest;
    for (const p of list) {
      expect(`${system}\n${prompt}`).not.toContain(p.name);
      expect(`${system}\n${prompt}`).not.toContain(p.model);
    }
    expect(prompt).toContain("Pick a mood for slot 86");
    expect(prompt).toContain("Answer in a few words.");
    expect(prompt).toContain("3 answers, ids A, B, C:");
    judge.answer(verdict("A"));
    await run;
  });

  it("presents answers in a seeded shuffle: stable for a seed, different across seeds", () => {
    const candidates = ["first", "second", "third", "fourth"].map((text, index) => ({
      index,
      text,
      callMs: 0,
      record: { id: `c${index + 1}`, provider: `p${index}`, model: "m", latencyMs: 0, status: "ok" as const, score: 0, hedged: false },
    }));
    const request = (seed: number): ProviderRequest => ({
      task: "rerank_candidates",
      prompt: "order these",
      maxTokens: 64,
      temperature: 0,
      seed,
      output: { kind: "text" },
    });
    const orderFor = (seed: number) => {
      const ballot = buildBallot(request(seed), candidates);
      return ballot.ids.map((id) => ballot.candidateOf(id)!.record.id).join(",");
    };
    expect(buildBallot(request(7), candidates).prompt).toBe(buildBallot(request(7), [...candidates].reverse()).prompt);
    expect(orderFor(7)).toBe(orderFor(7));
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => orderFor(seed)));
    expect(orders.size).toBeGreaterThan(5);
  });

  it("lets a valid verdict pick the winner and records the judge, its usage counted in the total", async () => {
    const { clock, list, judge, run } = await judged();
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise over hills");
    list[2]!.answer("city lights");
    await clock.advance(40);
    const id = idOf(judge.lastRequest, "a sunrise over hills");
    judge.answer("```json\n" + verdict(id, 0.8, "calmest mood") + "\n```", { promptTokens: 200, completionTokens: 20 });
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.output).toBe("a sunrise over hills");
    expect(outcome.fallbacks).toEqual([]);
    expect(outcome.candidates.map((c) => c.score)).toEqual([0, 0.8, 0]);
    expect(outcome.judge).toEqual({
      provider: "referee",
      model: "referee-model",
      winnerId: id,
      confidence: 0.8,
      reason: "calmest mood",
      latencyMs: 40,
      status: "ok",
      usage: { promptTokens: 200, completionTokens: 20 },
    });
    expect(totalUsage(outcome)).toEqual({ promptTokens: 209, completionTokens: 26 });
  });

  it("keeps the verdict schema in step with prompts/schemas/judge.json", () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), "../../../prompts/schemas/judge.json");
    expect(VERDICT_SCHEMA).toEqual(JSON.parse(readFileSync(file, "utf8")));
  });
});

describe("JUDGE fallbacks (R-ENS-4)", () => {
  /** Two candidates agree, one differs: VOTING can decide after the judge fails. */
  async function afterVerdict(respond: (judge: ScriptedProvider, clock: FakeClock) => Promise<void>) {
    const { clock, list, judge, run } = await judged();
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise over hills");
    list[2]!.answer("The night drive!");
    await clock.advance(0);
    await respond(judge, clock);
    return { outcome: await run, list, judge };
  }

  it("a late verdict falls back to VOTING (judge_late)", async () => {
    const { outcome, judge } = await afterVerdict((_, clock) => clock.advance(1000));
    expect(judge.aborted).toBe(1);
    expect(outcome.strategyApplied).toBe("VOTING");
    expect(outcome.winnerId).toBe("c1");
    expect(outcome.agreement).toBeCloseTo(2 / 3, 12);
    expect(outcome.fallbacks).toEqual([{ from: "JUDGE", to: "VOTING", reason: "judge_late", detail: "no verdict before the deadline" }]);
    expect(outcome.judge).toMatchObject({ provider: "referee", status: "timeout", winnerId: "" });
  });

  it("a verdict that is not JSON falls back to VOTING (verdict_unparsable)", async () => {
    const { outcome } = await afterVerdict(async (judge) => judge.answer("I would pick the second one."));
    expect(outcome.strategyApplied).toBe("VOTING");
    expect(outcome.fallbacks).toEqual([
      { from: "JUDGE", to: "VOTING", reason: "verdict_unparsable", detail: "output is not valid JSON" },
    ]);
    expect(outcome.judge?.status).toBe("invalid");
  });

  it("a verdict naming no candidate falls back to VOTING (verdict_unparsable)", async () => {
    const { outcome } = await afterVerdict(async (judge) => judge.answer(verdict("Z")));
    expect(outcome.fallbacks).toEqual([
      { from: "JUDGE", to: "VOTING", reason: "verdict_unparsable", detail: 'winner_id "Z" is not one of A, B, C' },
    ]);
    const none = await afterVerdict(async (judge) => judge.answer(verdict(null)));
    expect(none.outcome.fallbacks[0]?.detail).toBe("the judge chose no answer (winner_id null)");
  });

  it("a verdict outside the schema falls back to VOTING (verdict_unparsable)", async () => {
    const { outcome } = await afterVerdict(async (judge) => judge.answer(verdict("A", 3)));
    expect(outcome.fallbacks[0]).toEqual({
      from: "JUDGE",
      to: "VOTING",
      reason: "verdict_unparsable",
      detail: "output does not match the task's schema: /confidence must be <= 1",
    });
  });

  it("a failing judge falls back to VOTING (judge_failed)", async () => {
    const { outcome } = await afterVerdict(async (judge) => judge.fail("HTTP 503"));
    expect(outcome.strategyApplied).toBe("VOTING");
    expect(outcome.fallbacks).toEqual([{ from: "JUDGE", to: "VOTING", reason: "judge_failed", detail: "judge call failed: HTTP 503" }]);
    expect(outcome.judge?.status).toBe("error");
  });

  it("goes on to WEIGHTED when VOTING finds no quorum either", async () => {
    const { clock, list, judge, run } = await judged({ weights: { "ollama-gemma2-9b": 2 } });
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise over hills");
    list[2]!.answer("neon traffic loop");
    await clock.advance(0);
    judge.fail("HTTP 503");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.winnerId).toBe("c3");
    expect(outcome.fallbacks.map((f) => [f.from, f.to, f.reason])).toEqual([
      ["JUDGE", "VOTING", "judge_failed"],
      ["VOTING", "WEIGHTED", "no_quorum"],
    ]);
  });

  it("continues where [judge] fallback says: FASTEST takes the first valid answer in provider order, not the first to finish", async () => {
    const { clock, list, judge, run } = await judged({ judgeFallback: "FASTEST" });
    await clock.advance(100);
    list[2]!.answer("city lights");
    await clock.advance(100);
    list[0]!.answer("the night drive");
    list[1]!.answer("the night drive");
    await clock.advance(0);
    judge.answer("no idea");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("FASTEST");
    expect(outcome.winnerId).toBe("c1");
    expect(outcome.fallbacks.map((f) => [f.from, f.to, f.reason])).toEqual([["JUDGE", "FASTEST", "verdict_unparsable"]]);
  });

  it("falls back without calling anyone when no judge is configured or reachable", async () => {
    for (const judgeProvider of [null, "missing"]) {
      const { clock, list, judge, run } = await judged({ judgeProvider });
      list[0]!.answer("the night drive");
      list[1]!.answer("the night drive");
      list[2]!.answer("city lights");
      await clock.advance(0);
      const outcome = await run;
      expect(judge.started).toBe(0);
      expect(outcome.strategyApplied).toBe("VOTING");
      expect(outcome.fallbacks[0]).toMatchObject({ reason: "judge_failed" });
      expect(outcome.fallbacks[0]!.detail).toBe(
        judgeProvider === null ? "no judge provider is configured ([judge] provider)" : "judge provider missing is not available",
      );
    }
  });

  it("does not bother the judge with a single valid answer (too_few_candidates)", async () => {
    const { clock, list, judge, run } = await judged();
    list[0]!.fail();
    list[1]!.answer("the only answer");
    list[2]!.fail();
    await clock.advance(0);
    const outcome = await run;
    expect(judge.started).toBe(0);
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.fallbacks.map((f) => [f.from, f.to, f.reason])).toEqual([
      ["JUDGE", "VOTING", "too_few_candidates"],
      ["VOTING", "WEIGHTED", "too_few_candidates"],
    ]);
  });
});
