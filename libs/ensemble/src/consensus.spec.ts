import { planFor, providers } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";

describe("CONSENSUS (R-ENS-2)", () => {
  it("answers when agreement reaches consensus_threshold, and reports it", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d");
    const run = createEnsemble().run(planFor(clock, "CONSENSUS", list, { settings: { consensusThreshold: 0.7 } }));
    await clock.advance(0);
    list[0]!.answer("warm pastel studio");
    list[1]!.answer("cool night city");
    list[2]!.answer("Warm, pastel studio.");
    await clock.advance(10);
    // 2 of 4 agree: not yet certain, keep waiting.
    expect(list[3]!.aborted).toBe(0);
    list[3]!.answer("warm pastel studio");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("CONSENSUS");
    expect(outcome.agreement).toBe(0.75);
    expect(outcome.winnerId).toBe("c1");
    expect(outcome.fallbacks).toEqual([]);
  });

  it("stops early once the agreement is certain whatever the rest answer", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d", "e");
    // 4 of 5 are needed for 0.8: with 4 agreeing, even a fifth dissent leaves 0.8.
    const run = createEnsemble().run(planFor(clock, "CONSENSUS", list, { settings: { consensusThreshold: 0.8 } }));
    await clock.advance(0);
    for (const p of list.slice(0, 3)) p.answer("same answer here");
    await clock.advance(0);
    expect(list[4]!.aborted).toBe(0);
    list[3]!.answer("same answer here");
    const outcome = await run;
    expect(list[4]!.aborted).toBe(1);
    expect(outcome.strategyApplied).toBe("CONSENSUS");
    expect(outcome.agreement).toBe(1);
    expect(outcome.candidates.map((c) => c.status)).toEqual(["ok", "ok", "ok", "ok", "cancelled"]);
  });

  it("falls back to VOTING below the threshold, reporting the agreement it measured", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d");
    const run = createEnsemble().run(planFor(clock, "CONSENSUS", list, { settings: { consensusThreshold: 0.66 } }));
    await clock.advance(0);
    list[0]!.answer("red lanterns over the water");
    list[1]!.answer("a quiet forest at dawn");
    list[2]!.answer("neon traffic in the rain");
    list[3]!.answer("A quiet forest, at dawn.");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("VOTING");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.agreement).toBe(0.5);
    expect(outcome.fallbacks).toEqual([
      {
        from: "CONSENSUS",
        to: "VOTING",
        reason: "below_threshold",
        detail: "agreement 0.50 (2 of 4) is below consensus_threshold 0.66",
      },
    ]);
    // The fallback reused the answers: no engine was called twice.
    expect(list.map((p) => p.started)).toEqual([1, 1, 1, 1]);
  });

  it("walks CONSENSUS -> VOTING -> WEIGHTED when nobody agrees", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b");
    const run = createEnsemble().run(planFor(clock, "CONSENSUS", list, { settings: { weights: { a: 1, b: 1.5 } } }));
    await clock.advance(0);
    list[0]!.answer("alpha bravo charlie");
    list[1]!.answer("xray yankee zulu");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.fallbacks.map((f) => `${f.from}>${f.to}:${f.reason}`)).toEqual([
      "CONSENSUS>VOTING:below_threshold",
      "VOTING>WEIGHTED:no_quorum",
    ]);
    expect(outcome.agreement).toBe(0.5);
  });
});
