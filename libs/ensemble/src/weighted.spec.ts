import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";
import { planFor, providers } from "./spec-helpers.js";
import { MemoryWinRateStore } from "./win-rate/memory.js";
import type { WinRateStore } from "./win-rate.js";

describe("WEIGHTED (R-ENS-3)", () => {
  it("picks the highest config weight x win-rate among valid answers", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    // b has won twice before: rate 3/4. a: 1/2. c: 1/2.
    await winRates.record("rerank_candidates", "b", []);
    await winRates.record("rerank_candidates", "b", []);
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
    const run = createEnsemble().run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1, b: 3, c: 2 } } }));
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

  it("feeds every decision back: the winner wins, other valid answers lose, failures do not count", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    const ensemble = createEnsemble({ winRates });
    const list = providers("a", "b", "c");
    const run = ensemble.run(planFor(clock, "VOTING", list));
    await clock.advance(0);
    list[0]!.answer("same words here");
    list[1]!.fail();
    list[2]!.answer("same words here");
    await run;
    expect(winRates.rate("rerank_candidates", "a")).toBe(2 / 3);
    expect(winRates.rate("rerank_candidates", "b")).toBe(1 / 2);
    expect(winRates.rate("rerank_candidates", "c")).toBe(1 / 3);
  });

  it("learns from every strategy's decisions: a provider that keeps winning overtakes a heavier one, then fades", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock, halfLifeMs: 60_000 });
    const ensemble = createEnsemble({ winRates });
    const decide = async (strategy: "VOTING" | "WEIGHTED", answers: readonly string[]) => {
      const list = providers("a", "b", "c");
      const run = ensemble.run(planFor(clock, strategy, list, { settings: { weights: { a: 1.2, b: 1, c: 0.1 } } }));
      await clock.advance(0);
      list.forEach((p, i) => p.answer(answers[i]!));
      return (await run).winnerId;
    };
    const distinct = ["red lanterns", "quiet forest", "neon traffic"];
    expect(await decide("WEIGHTED", distinct)).toBe("c1");
    // b and c agree three times: VOTING gives b the win, a and c the losses.
    for (let i = 0; i < 3; i++) expect(await decide("VOTING", ["odd one out", "same words", "same words"])).toBe("c2");
    expect(winRates.rate("rerank_candidates", "a")).toBeCloseTo(2 / 6, 12);
    expect(winRates.rate("rerank_candidates", "b")).toBeCloseTo(4 / 6, 12);
    // 1.2 x 1/3 < 1 x 2/3.
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
    const ensemble = createEnsemble({ winRates: broken, onError: (e) => errors.push(e) });
    const run = ensemble.run(planFor(clock, "WEIGHTED", list, { settings: { weights: { a: 1, b: 2 } } }));
    await clock.advance(0);
    list[1]!.answer("from b");
    const outcome = await run;
    await clock.advance(0);
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.candidates[1]!.score).toBe(1);
    expect(errors.map((e) => (e as Error).message)).toEqual(["redis down", "redis down"]);
  });
});
