import { ENGINE_AWARE, FIXED_350, NO_HEDGE, STANDARD_MODES, withoutBreaker, type HedgeMode } from "../race/hedge-mode.js";
import type { ModeRow } from "../report.js";
import type { SimScenario } from "./scenario.js";
import { SCENARIOS } from "./scenarios.js";
import { compareModes, toRow } from "./simulate.js";

export interface BenchSection {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly ModeRow[];
}

export interface SimBenchOptions {
  /** Queries per scenario; default each scenario's own (3000). */
  readonly requests?: number;
  /** Replaces each scenario's seed. */
  readonly seed?: number;
}

/** The modes measured for a scenario: the standard rows, plus breaker-less ones where a provider fails. */
export function modesFor(scenario: SimScenario): readonly HedgeMode[] {
  return scenario.name === "failing-provider"
    ? [...STANDARD_MODES, withoutBreaker(NO_HEDGE), withoutBreaker(FIXED_350), withoutBreaker(ENGINE_AWARE)]
    : STANDARD_MODES;
}

/** Every scenario under every mode on the virtual clock: deterministic, and fast. */
export function simBench(options: SimBenchOptions = {}): BenchSection[] {
  return SCENARIOS.map((base) => {
    const scenario: SimScenario = {
      ...base,
      ...(options.requests === undefined ? {} : { requests: options.requests }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    };
    return {
      title: `sim: ${scenario.name}`,
      subtitle: `${scenario.description}\n${scenario.requests} queries at ${scenario.ratePerSecond}/s, deadline ${scenario.deadlineMs} ms, seed ${scenario.seed}`,
      rows: compareModes(scenario, modesFor(scenario)).map(toRow),
    };
  });
}
