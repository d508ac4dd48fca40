import { planFor, providers } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";
import { MemoryWinRateStore } from "./win-rate/memory.js";
import type { WinRateStore } from "./win-rate.js";

describe("WEIGHTED (R-ENS-3)", () => {
  it("picks the highest config weight x win-rate among valid answers", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    // b has won twice before: rate 3/4. a: 1/2. c: 1/2.
    await winRates.record("rerank_candidates", ["b"], []);
    await winRates.record("rerank_candidates", ["b"], []);
    const list = providers("a", "b", "c");
    const ensemble = createEnsemble({ winRates });
    // Scores: a 1.2 x 0.5 = 0.6, b 1 x 0.75 = 0.75, c 1.4 x 0.5 = 0.7.
    const run = ensemble.run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1.2, b: 1, c: 1.4 } } }));
    await clock.advance(0);
    list[0]!.answer("from a");
    list[2]!.answer("from c");
    list[1]!.answer("from b");
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("WEIGHTED");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.candidates.map((c) => Number(c.score.toFixed(6)))).toEqual([0.6, 0.75, 0.7]);
    expect(outcome.agreement).toBe(0);
  });

  it("breaks a score tie by provider order", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b");
    const run = createEnsemble().run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1, b: 1 } } }));
    await clock.advance(0);
    list[1]!.answer("from b");
    list[0]!.answer("from a");
    expect((await run).winnerId).toBe("c1");
  });

  it("stops waiting once no provider still working could outscore a valid answer", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const ensemble = createEnsemble({ exploration: { every: 0 } });
    const run = ensemble.run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1, b: 3, c: 2 } } }));
    await clock.advance(0);
    list[2]!.answer("from c");
    await clock.advance(50);
    // b could still win: keep waiting.
    expect([list[0]!.aborted, list[1]!.aborted]).toEqual([0, 0]);
    list[1]!.answer("from b");
    const outcome = await run;
    expect(list[0]!.aborted).toBe(1);
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.candidates.map((c) => c.status)).toEqual(["cancelled", "ok", "ok"]);
  });

  it("feeds only content comparisons to the win-rates: VOTING's whole winning cluster wins, valid dissent loses", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    const ensemble = createEnsemble({ winRates });
    const list = providers("a", "b", "c", "d");
    const run = ensemble.run(planFor(clock, "VOTING", list));
    await clock.advance(0);
    list[0]!.answer("same words here");
    list[1]!.fail();
    list[2]!.answer("same words here");
    list[3]!.answer("something else entirely");
    await run;
    const rate = (p: string) => winRates.rate("rerank_candidates", p);
    expect([rate("a"), rate("b"), rate("c"), rate("d")]).toEqual([2 / 3, 1 / 2, 2 / 3, 1 / 3]);
  });

  it("R-ENS-3: a WEIGHTED pick compares nothing, so a leader that stays valid does not lock its rivals out", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    const ensemble = createEnsemble({ winRates, exploration: { every: 0 } });
    for (let i = 0; i < 5; i++) {
      const list = providers("a", "b");
      const run = ensemble.run(planFor(clock, "WEIGHTED", list, { requestId: `q${i}`, settings: { weights: { a: 1.2, b: 1 } } }));
      await clock.advance(0);
      list[1]!.answer("from b");
      list[0]!.answer("from a");
      expect((await run).winnerId).toBe("c1");
    }
    // Before, every pick gave a a win and b a loss: 6/7 against 1/7 after five queries.
    expect([winRates.rate("rerank_candidates", "a"), winRates.rate("rerank_candidates", "b")]).toEqual([0.5, 0.5]);
  });

  it("learns from VOTING's comparisons: a provider whose answers keep winning votes overtakes a heavier one, then fades", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock, halfLifeMs: 60_000 });
    const ensemble = createEnsemble({ winRates, exploration: { every: 0 } });
    const decide = async (strategy: "VOTING" | "WEIGHTED", answers: readonly string[]) => {
      const list = providers("a", "b", "c");
      const run = ensemble.run(planFor(clock, strategy, list, { settings: { weights: { a: 1.2, b: 1, c: 0.1 } } }));
      await clock.advance(0);
      list.forEach((p, i) => p.answer(answers[i]!));
      return (await run).winnerId;
    };
    const distinct = ["red lanterns", "quiet forest", "neon traffic"];
    expect(await decide("WEIGHTED", distinct)).toBe("c1");
    // b and c agree three times: both win, a loses.
    for (let i = 0; i < 3; i++) expect(await decide("VOTING", ["odd one out", "same words", "same words"])).toBe("c2");
    expect(winRates.rate("rerank_candidates", "a")).toBeCloseTo(1 / 5, 12);
    expect(winRates.rate("rerank_candidates", "b")).toBeCloseTo(4 / 5, 12);
    // 1.2 x 1/5 < 1 x 4/5.
    expect(await decide("WEIGHTED", distinct)).toBe("c2");
    await clock.advance(20 * 60_000);
    expect(await decide("WEIGHTED", distinct)).toBe("c1");
  });

  it("reads a failing win-rate store as the prior and reports the failure", async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const broken: WinRateStore = {
      rates: () => Promise.reject(new Error("redis down")),
      record: () => Promise.reject(new Error("redis down")),
    };
    const list = providers("a", "b");
    const ensemble = createEnsemble({ winRates: broken, onError: (e) => errors.push(e), exploration: { every: 0 } });
    const run = ensemble.run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1, b: 2 } } }));
    await clock.advance(0);
    list[1]!.answer("from b");
    const outcome = await run;
    await clock.advance(0);
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.candidates[1]!.score).toBe(1);
    expect(errors.map((e) => (e as Error).message)).toEqual(["redis down"]);
  });
});
