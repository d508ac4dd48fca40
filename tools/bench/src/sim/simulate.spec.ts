// The hedging bench runs the pool's own FASTEST (createEnsemble, with its breakers, hedge budget and latency tracker,
// behind the orchestrator and the providers' engine queues) over simulated engines on a virtual clock: its counts and
// virtual-time percentiles are deterministic for a seed, so these specs check them (never a wall-clock time).
import { beforeAll, describe, expect, it } from "vitest";
import { ADAPTIVE, FIXED_350, FIXED_350_UNBUDGETED, HEDGING_MODES, NO_HEDGE, withoutBreakers, type HedgingMode } from "./hedging-modes.js";
import type { HedgingScenario } from "./hedging-scenario.js";
import { contention, failingProvider, macMini, slowProvider } from "./hedging-scenarios.js";
import { compareModes, extraLoad, failureRate, simulate, type RunResult } from "./simulate.js";

const REQUESTS = 600;
const runs = new Map<string, Map<string, RunResult>>();

async function measure(scenario: HedgingScenario, modes: readonly HedgingMode[]): Promise<void> {
  const results = await compareModes({ ...scenario, requests: REQUESTS }, modes);
  runs.set(scenario.name, new Map(results.map((r) => [r.mode, r])));
}

function run(scenario: HedgingScenario, mode: HedgingMode): RunResult {
  return runs.get(scenario.name)!.get(mode.label)!;
}

const MAC_MINI_8 = macMini(8);

beforeAll(async () => {
  await measure(MAC_MINI_8, HEDGING_MODES);
  await measure(slowProvider, HEDGING_MODES);
  await measure(contention, [NO_HEDGE, FIXED_350, ADAPTIVE]);
  await measure(failingProvider, [NO_HEDGE, withoutBreakers(NO_HEDGE)]);
}, 120_000);

describe("the shipped FASTEST over the simulated Mac mini (R-QOS-3, R-QOS-1)", () => {
  it("R-QOS-3: acceptance, p95 of FASTEST with 2 providers and hedge 350 ms is at most 900 ms for 8-token answers", () => {
    const hedged = run(MAC_MINI_8, FIXED_350);
    expect(hedged.latency.p95).toBeLessThanOrEqual(900);
    // What hedging buys here is the queries whose primary was cold: the tail past the p95 and the failures.
    expect(hedged.latency.p99).toBeLessThan(run(MAC_MINI_8, NO_HEDGE).latency.p99);
    expect(failureRate(hedged)).toBeLessThan(failureRate(run(MAC_MINI_8, NO_HEDGE)));
    expect(extraLoad(hedged)).toBeLessThan(0.05);
  });

  it("R-QOS-3: on one engine a hedge goes only to a warm model when the primary is cold, never beside a running primary", () => {
    // Every mode hedges the same few cold primaries and nothing else: a delayed hedge would share the engine.
    const hedges = HEDGING_MODES.slice(1).map((mode) => run(MAC_MINI_8, mode).hedges);
    expect(new Set(hedges).size).toBe(1);
    expect(hedges[0]).toBeGreaterThan(0);
    expect(hedges[0]).toBeLessThan(0.05 * REQUESTS);
    for (const mode of [NO_HEDGE, FIXED_350, ADAPTIVE]) expect(run(contention, mode).hedges, mode.label).toBe(0);
    expect(run(contention, FIXED_350).latency).toEqual(run(contention, NO_HEDGE).latency);
  });

  it("R-QOS-3: hedging onto a second box cuts the p95 and the failures when the primary stalls now and then", () => {
    const base = run(slowProvider, NO_HEDGE);
    for (const mode of [FIXED_350, FIXED_350_UNBUDGETED]) {
      expect(run(slowProvider, mode).latency.p95, mode.label).toBeLessThan(base.latency.p95);
      expect(failureRate(run(slowProvider, mode)), mode.label).toBeLessThan(failureRate(base));
    }
    expect(run(slowProvider, ADAPTIVE).hedges).toBeGreaterThan(0);
  });

  it("R-QOS-3: the budget bounds the hedges (at most its burst of 5 plus 15% of the queries); without it they are not", () => {
    for (const scenario of [MAC_MINI_8, slowProvider]) {
      for (const mode of [FIXED_350, ADAPTIVE]) {
        expect(run(scenario, mode).hedges, `${scenario.name} / ${mode.label}`).toBeLessThanOrEqual(5 + 0.15 * REQUESTS);
      }
      expect(run(scenario, NO_HEDGE).hedges, scenario.name).toBe(0);
    }
    expect(run(slowProvider, FIXED_350).denied).toBeGreaterThan(0);
    expect(run(slowProvider, FIXED_350_UNBUDGETED).hedges).toBeGreaterThan(0.15 * REQUESTS + 5);
  });

  it("R-QOS-1: once an engine breaks, its breaker opens and keeps calls away from it; without breakers every query tries it first", () => {
    const guarded = run(failingProvider, NO_HEDGE);
    const unguarded = run(failingProvider, withoutBreakers(NO_HEDGE));
    expect(Object.keys(guarded.breakerOpens)).toEqual(["ollama-phi3-mini"]);
    expect(guarded.calls).toBeLessThan(unguarded.calls);
    expect(failureRate(guarded)).toBeLessThan(0.05);
  });

  it("repeats exactly: the same seed gives the same numbers", async () => {
    const small = { ...slowProvider, requests: 100 };
    expect(await simulate(small, FIXED_350)).toEqual(await simulate(small, FIXED_350));
    expect(await simulate({ ...small, seed: 1 }, FIXED_350)).not.toEqual(await simulate(small, FIXED_350));
  });
});
