import { planFor, providers } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";

const summary = (o: { candidates: readonly { id: string; status: string; score: number }[] }) =>
  o.candidates.map((c) => [c.id, c.status, Number(c.score.toFixed(4))]);

describe("VOTING (R-ENS-2)", () => {
  it("stops at an early quorum and cancels the calls still running", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d", "e");
    const [a, b, c, d, e] = list;
    const run = createEnsemble().run(planFor(clock, "VOTING", list));
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1, 1, 1]);
    c!.answer("The night drive.");
    await clock.advance(10);
    a!.answer("the night drive");
    await clock.advance(10);
    expect([d!.aborted, e!.aborted]).toEqual([0, 0]);
    b!.answer("THE NIGHT DRIVE!");
    const outcome = await run;
    expect([d!.aborted, e!.aborted]).toEqual([1, 1]);
    expect(outcome.strategyApplied).toBe("VOTING");
    expect(outcome.winnerId).toBe("c1");
    expect(outcome.output).toBe("the night drive");
    expect(outcome.agreement).toBe(1);
    expect(outcome.fallbacks).toEqual([]);
    expect(summary(outcome)).toEqual([
      ["c1", "ok", 1],
      ["c2", "ok", 1],
      ["c3", "ok", 1],
      ["c4", "cancelled", 0],
      ["c5", "cancelled", 0],
    ]);
  });

  it("waits for more answers while no strict majority agrees, then the largest cluster wins", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const [a, b, c] = list;
    const run = createEnsemble().run(planFor(clock, "VOTING", list));
    await clock.advance(0);
    a!.answer("slow burn ambient lounge");
    b!.answer("bright synth pop for mornings");
    await clock.advance(5);
    expect(c!.aborted).toBe(0);
    c!.answer("Slow burn, ambient lounge");
    const outcome = await run;
    expect(outcome.winnerId).toBe("c1");
    expect(outcome.agreement).toBeCloseTo(2 / 3, 12);
    expect(summary(outcome)).toEqual([
      ["c1", "ok", 0.6667],
      ["c2", "ok", 0.3333],
      ["c3", "ok", 0.6667],
    ]);
  });

  it("decides at the deadline with the answers that arrived", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d");
    const run = createEnsemble().run(planFor(clock, "VOTING", list, { deadlineMs: 800 }));
    await clock.advance(0);
    list[2]!.answer("x marks the spot");
    list[3]!.answer("x marks the spot");
    await clock.advance(800);
    const outcome = await run;
    expect(outcome.winnerId).toBe("c3");
    expect(outcome.candidates.map((c) => c.status)).toEqual(["timeout", "timeout", "ok", "ok"]);
    expect(outcome.agreement).toBe(1);
  });

  it("falls back to WEIGHTED (no_quorum) when no two answers agree", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const run = createEnsemble().run(planFor(clock, "VOTING", list, { settings: { weights: { b: 2 } } }));
    await clock.advance(0);
    list[0]!.answer("red lanterns over water");
    list[1]!.answer("a quiet forest at dawn");
    list[2]!.answer("neon city traffic loop");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.agreement).toBeCloseTo(1 / 3, 12);
    expect(outcome.fallbacks).toEqual([
      { from: "VOTING", to: "WEIGHTED", reason: "no_quorum", detail: "no two of 3 valid answers reach similarity 0.8" },
    ]);
  });

  it("falls back to WEIGHTED (too_few_candidates) with a single valid answer", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const run = createEnsemble().run(planFor(clock, "VOTING", list, { output: { kind: "json" } }));
    await clock.advance(0);
    list[0]!.fail("HTTP 500");
    list[1]!.answer('{"terms":["dusk"]}');
    list[2]!.answer("here are the terms: dusk");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.output).toBe('{"terms":["dusk"]}');
    expect(outcome.candidates.map((c) => c.status)).toEqual(["error", "ok", "invalid"]);
    expect(outcome.fallbacks.map((f) => [f.from, f.to, f.reason, f.detail])).toEqual([
      ["VOTING", "WEIGHTED", "too_few_candidates", "1 valid candidate(s), 2 needed"],
    ]);
  });

  it("rejects schema-invalid answers even when they agree with each other (R-ENS-6)", async () => {
    const clock = new FakeClock();
    const schema = { type: "object", required: ["ranking"], properties: { ranking: { type: "array", minItems: 1 } } };
    const list = providers("a", "b", "c");
    const run = createEnsemble().run(planFor(clock, "VOTING", list, { output: { kind: "json_schema", schema } }));
    await clock.advance(0);
    list[0]!.answer('{"ranking":[]}');
    list[1]!.answer('{"ranking":[]}');
    list[2]!.answer('{"ranking":["c2","c1"]}');
    const outcome = await run;
    expect(outcome.winnerId).toBe("c3");
    expect(outcome.candidates.map((c) => [c.status, c.error ?? ""])).toEqual([
      ["invalid", "output does not match the task's schema: /ranking must NOT have fewer than 1 items"],
      ["invalid", "output does not match the task's schema: /ranking must NOT have fewer than 1 items"],
      ["ok", ""],
    ]);
  });

  it("keeps at most max_parallel calls in flight, starting the next provider in order as one finishes", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d", "e");
    const inFlight = () => list.reduce((n, p) => n + p.inFlight, 0);
    const run = createEnsemble().run(planFor(clock, "VOTING", list, { settings: { maxParallel: 2 } }));
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 0, 0, 0]);
    list[1]!.answer("one answer");
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1, 0, 0]);
    expect(inFlight()).toBe(2);
    list[0]!.fail();
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1, 1, 0]);
    expect(inFlight()).toBe(2);
    list[2]!.answer("another answer entirely");
    list[3]!.answer("one answer");
    await clock.advance(0);
    expect(list[4]!.started).toBe(1);
    expect(inFlight()).toBeLessThanOrEqual(2);
    list[4]!.answer("one answer!");
    const outcome = await run;
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.agreement).toBe(0.75);
  });
});
