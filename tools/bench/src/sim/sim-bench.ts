import type { ModeRow } from "../report.js";
import { FIXED_350, HEDGING_MODES, NO_HEDGE, withoutBreakers, type HedgingMode } from "./hedging-modes.js";
import type { HedgingScenario } from "./hedging-scenario.js";
import { hedgingScenarios } from "./hedging-scenarios.js";
import { compareModes, toRow } from "./simulate.js";

export interface BenchSection {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly ModeRow[];
}

export interface SimBenchOptions {
  /** Queries per scenario; default each scenario's own (2000). */
  readonly requests?: number;
  /** Replaces each scenario's seed. */
  readonly seed?: number;
}

/** The modes measured for a scenario: the standard rows, plus breaker-less ones where a provider fails. */
export function modesFor(scenario: HedgingScenario): readonly HedgingMode[] {
  return scenario.name === "failing-provider" ? [...HEDGING_MODES, withoutBreakers(NO_HEDGE), withoutBreakers(FIXED_350)] : HEDGING_MODES;
}

/** Every scenario under every mode through the shipped FASTEST, on the virtual clock: deterministic. */
export async function simBench(options: SimBenchOptions = {}): Promise<BenchSection[]> {
  const sections: BenchSection[] = [];
  for (const base of hedgingScenarios()) {
    const scenario: HedgingScenario = {
      ...base,
      ...(options.requests === undefined ? {} : { requests: options.requests }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    };
    sections.push({
      title: `sim: ${scenario.name}`,
      subtitle: `${scenario.description}\n${scenario.requests} queries at ${scenario.ratePerSecond}/s, deadline ${scenario.deadlineMs} ms, seed ${scenario.seed}`,
      rows: (await compareModes(scenario, modesFor(scenario))).map(toRow),
    });
  }
  return sections;
}
