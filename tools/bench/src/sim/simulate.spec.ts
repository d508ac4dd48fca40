import { beforeAll, describe, expect, it } from "vitest";
import {
  ADAPTIVE_BUDGET,
  ENGINE_AWARE,
  ENGINE_AWARE_350,
  FIXED_350,
  FIXED_350_BUDGET,
  NO_HEDGE,
  STANDARD_MODES,
  withoutBreaker,
  type HedgeMode,
} from "../race/hedge-mode.js";
import type { SimScenario } from "./scenario.js";
import { contention, failingProvider, macMini, slowProvider } from "./scenarios.js";
import { modesFor } from "./sim-bench.js";
import { compareModes, extraLoad, failureRate, simulate, timeoutRate, type RunResult } from "./simulate.js";

// Every scenario runs once, all modes side by side over the same seeded draws, on a virtual clock.
const runs = new Map<string, Map<string, RunResult>>();

beforeAll(() => {
  for (const scenario of [slowProvider, macMini, contention, failingProvider]) {
    runs.set(scenario.name, new Map(compareModes(scenario, modesFor(scenario)).map((r) => [r.mode, r])));
  }
});

function run(scenario: SimScenario, mode: HedgeMode): RunResult {
  return runs.get(scenario.name)!.get(mode.label)!;
}

const BUDGETED = STANDARD_MODES.filter((m) => m.budgetShare !== undefined);

describe("latency simulation (R-QOS-3, R-QOS-1)", () => {
  it("R-QOS-3: hedging cuts the p95 of FASTEST when one provider is slow", () => {
    const base = run(slowProvider, NO_HEDGE).latency.p95;
    expect(run(slowProvider, FIXED_350).latency.p95).toBeLessThan(0.85 * base);
    for (const mode of [ADAPTIVE_BUDGET, ENGINE_AWARE]) {
      expect(run(slowProvider, mode).latency.p95, mode.label).toBeLessThan(0.95 * base);
      expect(run(slowProvider, mode).latency.p99, mode.label).toBeLessThan(0.92 * run(slowProvider, NO_HEDGE).latency.p99);
    }
  });

  it("R-QOS-3: the budget bounds the extra load (hedges <= burst + share x queries), unbudgeted hedging does not", () => {
    for (const scenario of [slowProvider, macMini, contention, failingProvider]) {
      for (const mode of BUDGETED) {
        const r = run(scenario, mode);
        expect(r.hedges, `${scenario.name} / ${mode.label}`).toBeLessThanOrEqual(5 + mode.budgetShare! * r.requests);
      }
    }
    expect(extraLoad(run(slowProvider, FIXED_350))).toBeGreaterThan(0.3);
    expect(extraLoad(run(slowProvider, FIXED_350_BUDGET))).toBeLessThan(0.16);
  });

  it("R-QOS-1: with breakers, the timeout rate stays under 10% while one provider hangs", () => {
    for (const mode of STANDARD_MODES) {
      const r = run(failingProvider, mode);
      expect(timeoutRate(r), mode.label).toBeLessThan(0.1);
      expect(failureRate(r), mode.label).toBeLessThan(0.1);
      expect(r.breakerOpens["phi3"], mode.label).toBeGreaterThan(0);
    }
    // Without breakers every query waits on the dead primary; a bounded budget cannot hedge them all.
    expect(timeoutRate(run(failingProvider, withoutBreaker(NO_HEDGE)))).toBe(1);
    expect(timeoutRate(run(failingProvider, withoutBreaker(ENGINE_AWARE)))).toBeGreaterThan(0.5);
  });

  it("unbudgeted hedging hides a dead provider from its breaker (its calls are always cancelled), at double the load", () => {
    expect(extraLoad(run(failingProvider, withoutBreaker(FIXED_350)))).toBe(1);
    expect(extraLoad(run(failingProvider, FIXED_350))).toBeGreaterThan(0.2);
    expect(extraLoad(run(failingProvider, ENGINE_AWARE))).toBeLessThan(0.05);
  });

  it("blind hedging under pure single-engine contention does not help; engine-aware hedging avoids the harm", () => {
    const base = run(contention, NO_HEDGE);
    for (const mode of [FIXED_350, ADAPTIVE_BUDGET]) {
      expect(run(contention, mode).latency.p95, mode.label).toBeGreaterThanOrEqual(base.latency.p95);
      expect(run(contention, mode).latency.p99, mode.label).toBeGreaterThan(base.latency.p99);
    }
    for (const mode of [ENGINE_AWARE_350, ENGINE_AWARE]) {
      const r = run(contention, mode);
      expect(r.hedges, mode.label).toBe(0);
      expect(r.latency, mode.label).toEqual(base.latency);
    }
  });

  it("acceptance: p95 of FASTEST with 2 providers and hedge 350 ms is at most 900 ms on a Mac mini", () => {
    const r = run(macMini, ENGINE_AWARE_350);
    expect(r.latency.p95).toBeLessThanOrEqual(900);
    expect(r.latency.p95).toBeLessThan(run(macMini, NO_HEDGE).latency.p95);
    expect(failureRate(r)).toBeLessThan(0.01);
    expect(extraLoad(r)).toBeLessThan(0.1);
  });

  it("on one Mac mini, engine-aware hedging beats blind hedging at a fraction of the extra load", () => {
    const aware = run(macMini, ENGINE_AWARE_350);
    const blind = run(macMini, FIXED_350);
    expect(aware.latency.p95).toBeLessThan(blind.latency.p95);
    expect(aware.latency.p99).toBeLessThan(blind.latency.p99);
    expect(extraLoad(aware)).toBeLessThan(extraLoad(blind));
  });

  it("repeats exactly: the same seed gives the same numbers", () => {
    const small = { ...slowProvider, requests: 300 };
    expect(simulate(small, ENGINE_AWARE)).toEqual(simulate(small, ENGINE_AWARE));
    expect(simulate({ ...small, seed: 1 }, ENGINE_AWARE)).not.toEqual(simulate(small, ENGINE_AWARE));
  });
});
