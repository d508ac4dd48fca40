import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { MemoryWinRateStore } from "./memory.js";

const HOUR = 3_600_000;

describe("in-memory win-rate store (R-ENS-3)", () => {
  it("starts every provider at the prior of 0.5", async () => {
    const store = new MemoryWinRateStore({ clock: new FakeClock() });
    expect(await store.rates("judge", ["a", "b"])).toEqual(new Map([["a", 0.5], ["b", 0.5]]));
  });

  it("counts a win for every winner of a comparison and a loss for every answer judged worse, per task", async () => {
    const store = new MemoryWinRateStore({ clock: new FakeClock() });
    await store.record("judge", ["a"], ["b", "c"]);
    await store.record("judge", ["a"], ["b"]);
    // (wins + 1) / (decisions + 2)
    expect(store.rate("judge", "a")).toBe(3 / 4);
    expect(store.rate("judge", "b")).toBe(1 / 4);
    expect(store.rate("judge", "c")).toBe(1 / 3);
    expect(store.rate("site_tactics", "a")).toBe(0.5);
    // A vote won by a cluster of two: both won.
    await store.record("judge", ["b", "c"], ["a"]);
    expect([store.rate("judge", "a"), store.rate("judge", "b"), store.rate("judge", "c")]).toEqual([3 / 5, 2 / 5, 2 / 4]);
  });

  it("halves the weight of history every half-life, drifting back to the prior", async () => {
    const clock = new FakeClock();
    const store = new MemoryWinRateStore({ clock, halfLifeMs: HOUR });
    for (let i = 0; i < 4; i++) await store.record("judge", ["a"], []);
    expect(store.rate("judge", "a")).toBe(5 / 6);
    await clock.advance(HOUR);
    // 4 wins of 4 decisions now weigh 2 of 2.
    expect(store.rate("judge", "a")).toBe(3 / 4);
    await store.record("judge", ["a"], []);
    expect(store.rate("judge", "a")).toBe(4 / 5);
    await clock.advance(10 * HOUR);
    expect(store.rate("judge", "a")).toBeCloseTo(0.5, 2);
  });

  it("gives recent losses more weight than old wins", async () => {
    const clock = new FakeClock();
    const store = new MemoryWinRateStore({ clock, halfLifeMs: HOUR });
    for (let i = 0; i < 3; i++) await store.record("judge", ["a"], ["b"]);
    await clock.advance(2 * HOUR);
    for (let i = 0; i < 3; i++) await store.record("judge", ["b"], ["a"]);
    expect(store.rate("judge", "b")).toBeGreaterThan(store.rate("judge", "a"));
  });
});
