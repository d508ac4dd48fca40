import type { StrategyName } from "@llm-pool/core";
import type { Scenario } from "@llm-pool/mock-engine";
import { hostEngines, type HostedEngines } from "../live/engine-host-client.js";
import { exponentialGapMs, seededRandom, type Random } from "../random.js";
import { toStrategyRow, type StrategyRow } from "./strategy-report.js";
import { runStrategy, type BenchQuery } from "./strategy-run.js";
import {
  BENCH_MODELS,
  engineScenario,
  markText,
  STRATEGY_SCENARIOS,
  type QueryMarks,
  type StrategyScenario,
} from "./strategy-scenarios.js";

/** The rows of every table, FASTEST first: the others are compared with it. */
export const BENCH_STRATEGIES: readonly StrategyName[] = ["FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"];

export interface StrategyBenchOptions {
  /** Queries per scenario and strategy. Default 100. */
  readonly requests?: number;
  /** Real time per scenario millisecond (the mock engines' time_scale). Default 0.1. */
  readonly timeScale?: number;
  readonly seed?: number;
  /** The task's deadline in scenario ms. Default 4000: a batch budget in which JUDGE's three candidates and verdict fit on one engine. */
  readonly deadlineMs?: number;
  /** FASTEST's hedge_after_ms. Default 700: past phi3's usual answers (p95 600 ms), so hedges go to its stalls. */
  readonly hedgeAfterMs?: number;
  /** Circuit breakers as the pool has them (opens are reported). Default false: the cost of each strategy alone. */
  readonly breakers?: boolean;
  /** Default: both scenarios. */
  readonly scenarios?: readonly StrategyScenario[];
  /** Default: all five. */
  readonly strategies?: readonly StrategyName[];
  /** Where the mock engines run. Default: a child process per scenario, so they never share the pool side's event loop. */
  readonly host?: (scenarios: readonly Scenario[]) => Promise<HostedEngines>;
}

export interface StrategySection {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: readonly StrategyRow[];
}

/**
 * Every strategy side by side, per scenario: each against its own fresh mock
 * engine (same seed; the engines of a scenario hosted in one child process)
 * with the same queries arriving at the same times, over real HTTP in scaled
 * real time. Scenarios and strategies all run at once. For the bench only:
 * the numbers move a little with the machine's load.
 */
export async function strategyBench(options: StrategyBenchOptions = {}): Promise<StrategySection[]> {
  const requests = options.requests ?? 100;
  const timeScale = options.timeScale ?? 0.1;
  const seed = options.seed ?? 11;
  const deadlineMs = options.deadlineMs ?? 4000;
  const hedgeAfterMs = options.hedgeAfterMs ?? 700;
  const breakers = options.breakers ?? false;
  const strategies = options.strategies ?? BENCH_STRATEGIES;
  const host = options.host ?? hostEngines;
  return Promise.all(
    (options.scenarios ?? STRATEGY_SCENARIOS).map(async (scenario, s): Promise<StrategySection> => {
      const queries = drawQueries(scenario, requests, seed + s);
      const hosted = await host(strategies.map(() => engineScenario(scenario, seed + s, timeScale)));
      let rows: StrategyRow[];
      try {
        rows = await Promise.all(
          strategies.map(async (strategy, i) => {
            const run = await runStrategy({ strategy, engineUrl: hosted.urls[i]!, queries, timeScale, deadlineMs, hedgeAfterMs, breakers });
            return toStrategyRow(strategy, run.results, deadlineMs, run.breakerOpens);
          }),
        );
      } finally {
        await hosted.close();
      }
      return {
        title: `strategies: ${scenario.name}`,
        subtitle:
          `${scenario.description}\n` +
          `${requests} queries at ${scenario.ratePerSecond}/s, deadline ${deadlineMs} ms, hedge after ${hedgeAfterMs} ms, ` +
          `${breakers ? "breakers on" : "no breakers"}, time_scale ${timeScale}, seed ${seed + s}`,
        rows,
      };
    }),
  );
}

const TERMS = (
  "neon rain night city slow drift warm tape grain dusk harbor lights ambient synth piano rooftop winter " +
  "forest fog sunrise vinyl jazz cafe quiet street lantern ocean tide glow retro"
).split(" ");

/** The scenario's queries: Poisson arrivals, seed terms and markers, all from one seeded stream. */
export function drawQueries(scenario: StrategyScenario, requests: number, seed: number): BenchQuery[] {
  const random = seededRandom(seed);
  const queries: BenchQuery[] = [];
  let at = 0;
  for (let i = 0; i < requests; i++) {
    at += exponentialGapMs(random, scenario.ratePerSecond);
    const terms = [0, 1, 2].map(() => TERMS[Math.floor(random() * TERMS.length)]!);
    const marks = drawMarks(scenario, random);
    const prompt = `Query ${i + 1}. Seed terms: ${terms.join(", ")}. Keep the mood; no vocals. ${markText(marks)}`.trim();
    queries.push({ at, prompt });
  }
  return queries;
}

function drawMarks(scenario: StrategyScenario, random: Random): QueryMarks {
  // Every draw is made whatever the probabilities, so the arrivals do not move when they change.
  const dissent = BENCH_MODELS.filter(() => random() < scenario.dissent).map((m) => m.key);
  const invalid = random() < scenario.invalid ? ["phi3"] : [];
  const muddledVerdict = random() < scenario.muddledVerdict;
  return { dissent, invalid, muddledVerdict };
}
