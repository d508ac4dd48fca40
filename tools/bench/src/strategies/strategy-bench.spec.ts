import { validateScenario } from "@llm-pool/mock-engine";
import { beforeAll, describe, expect, it } from "vitest";
import { hostEnginesInProcess } from "../live/engine-host-client.js";
import { formatCostTable, formatDecisionTable } from "./strategy-report.js";
import { BENCH_STRATEGIES, drawQueries, strategyBench, type StrategySection } from "./strategy-bench.js";
import { disagree, engineScenario, mostlyAgree, STRATEGY_SCENARIOS } from "./strategy-scenarios.js";

// Real HTTP against mock engines, so only counts are checked: never a latency.
describe("strategyBench on a tiny run", () => {
  const requests = 4;
  let sections: StrategySection[] = [];
  beforeAll(async () => {
    // Arrivals close together and time at a fifth of the scenario's: short, with room for a loaded machine.
    const scenarios = STRATEGY_SCENARIOS.map((s) => ({ ...s, ratePerSecond: 2 }));
    sections = await strategyBench({ requests, timeScale: 0.2, seed: 5, scenarios, host: hostEnginesInProcess });
  }, 60_000);

  it("has one section per scenario with a row for every strategy, FASTEST first", () => {
    expect(sections.map((s) => s.title)).toEqual(STRATEGY_SCENARIOS.map((s) => `strategies: ${s.name}`));
    for (const section of sections) {
      expect(section.rows.map((r) => r.strategy)).toEqual(BENCH_STRATEGIES);
      expect(formatCostTable(section.rows).split("\n")).toHaveLength(2 + BENCH_STRATEGIES.length);
      expect(formatDecisionTable(section.rows).split("\n")).toHaveLength(2 + BENCH_STRATEGIES.length);
    }
  });

  it("accounts for every query: answered or failed, each answer decided by exactly one strategy", () => {
    for (const section of sections) {
      for (const row of section.rows) {
        expect(row.queries).toBe(requests);
        expect(row.answered + row.failed).toBe(requests);
        expect(row.timeouts).toBeLessThanOrEqual(row.failed);
        expect(Object.values(row.decidedBy).reduce((a, b) => a + (b ?? 0), 0)).toBe(row.answered);
        expect(row.fellBack).toBeLessThanOrEqual(row.answered);
        for (const n of Object.values(row.fallbacks)) expect(n).toBeLessThanOrEqual(row.fellBack);
      }
    }
  });

  it("books the judge's calls to JUDGE only; every ensemble strategy calls at least two models per query served in full", () => {
    for (const section of sections) {
      for (const row of section.rows) {
        if (row.strategy !== "JUDGE") expect(row.judgeCalls).toBe(0);
        expect(row.judgeCalls).toBeLessThanOrEqual(row.queries);
        // An ensemble decides on two answers at least; a third candidate may never reach its engine (an early
        // quorum or score cancels it while it waits for a slot; JUDGE leaves out one its record expects after
        // the judge's window). A candidate its engine refused (saturated: admission forecasts as in the pool)
        // is not called, nor is any of a failed query.
        const perQuery = row.strategy === "FASTEST" ? 1 : 2;
        const servedInFull = requests - row.failed - row.fellBackRefused;
        expect(row.candidateCalls).toBeGreaterThanOrEqual(perQuery * servedInFull);
        if (row.answered > 0) expect(row.candidateTokens).toBeGreaterThan(0);
        if (row.judgeCalls === 0) expect(row.judgeTokens).toBe(0);
        expect(row.earlyQuorum === undefined).toBe(row.strategy !== "VOTING" && row.strategy !== "CONSENSUS");
        expect(row.breakerOpens).toBeUndefined();
      }
    }
  });
});

describe("the strategy scenarios", () => {
  it("are valid mock-engine scenarios", () => {
    for (const scenario of STRATEGY_SCENARIOS) expect(() => validateScenario(engineScenario(scenario, 1, 0.1))).not.toThrow();
  });

  it("draw the same queries from the same seed, with the scenario's markers", () => {
    expect(drawQueries(mostlyAgree, 50, 3)).toEqual(drawQueries(mostlyAgree, 50, 3));
    expect(drawQueries(mostlyAgree, 50, 3)).not.toEqual(drawQueries(mostlyAgree, 50, 4));
    const agreeing = drawQueries(mostlyAgree, 200, 3).map((q) => q.prompt);
    expect(agreeing.some((p) => p.includes("dissent: "))).toBe(true);
    expect(agreeing.some((p) => p.includes("verdict: muddled"))).toBe(false);
    const disagreeing = drawQueries(disagree, 200, 3).map((q) => q.prompt);
    expect(disagreeing.some((p) => p.includes("dissent: "))).toBe(false);
    expect(disagreeing.some((p) => p.includes("verdict: muddled"))).toBe(true);
  });
});
