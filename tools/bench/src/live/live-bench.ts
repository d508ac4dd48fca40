import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import { STANDARD_MODES, type HedgeMode } from "../race/hedge-mode.js";
import { runRace, type RaceContext, type RaceResult } from "../race/hedged-race.js";
import { exponentialGapMs, seededRandom } from "../random.js";
import type { ModeRow } from "../report.js";
import { DEFAULT_BREAKER } from "../sim/scenario.js";
import type { BenchSection } from "../sim/sim-bench.js";
import { summarize } from "../stats.js";
import { hostEngines } from "./engine-host-client.js";
import { LIVE_SCENARIOS, type LiveScenario } from "./live-scenarios.js";
import { loadModel, OllamaUpstream, type LiveProvider } from "./ollama-upstream.js";
import { scaledClock } from "./scaled-clock.js";

export interface LiveBenchOptions {
  /** Queries per scenario and mode. Default 300. */
  readonly requests?: number;
  /** Real time per scenario millisecond (the mock engines' time_scale). Default 0.2. */
  readonly timeScale?: number;
  readonly seed?: number;
}

interface LiveQuery {
  readonly at: number;
  readonly evict: readonly string[];
}

/**
 * Runs every live scenario with every mode at once, each mode against its own
 * fresh mock engines (same seed, hosted in one child process per scenario) and
 * the same arrivals, over real HTTP and real (scaled) time. For the bench
 * only: its numbers move from run to run with the machine's load.
 */
export async function liveBench(options: LiveBenchOptions = {}): Promise<BenchSection[]> {
  const requests = options.requests ?? 300;
  const timeScale = options.timeScale ?? 0.2;
  const seed = options.seed ?? 7;
  return Promise.all(
    LIVE_SCENARIOS.map(async (scenario): Promise<BenchSection> => {
      const queries = drawLiveQueries(scenario, requests, seed);
      const hosted = await hostEngines(
        STANDARD_MODES.flatMap(() => scenario.engines.map((e) => ({ ...e.scenario, seed, time_scale: timeScale }))),
      );
      let rows: ModeRow[];
      try {
        rows = await Promise.all(
          STANDARD_MODES.map((mode, i) => {
            const urls = hosted.urls.slice(i * scenario.engines.length, (i + 1) * scenario.engines.length);
            const urlOf = new Map(scenario.engines.map((e, j) => [e.name, urls[j]!]));
            return runLiveMode(scenario, mode, queries, timeScale, urlOf);
          }),
        );
      } finally {
        await hosted.close();
      }
      return {
        title: `live: ${scenario.name}`,
        subtitle: `${scenario.description}\n${requests} queries at ${scenario.ratePerSecond}/s, deadline ${scenario.deadlineMs} ms, time_scale ${timeScale}, seed ${seed}`,
        rows,
      };
    }),
  );
}

function drawLiveQueries(scenario: LiveScenario, requests: number, seed: number): LiveQuery[] {
  const random = seededRandom(seed);
  const queries: LiveQuery[] = [];
  let at = 0;
  for (let i = 0; i < requests; i++) {
    at += exponentialGapMs(random, scenario.ratePerSecond);
    const evict = scenario.providers.filter((p) => random() < (scenario.evictions[p.name] ?? 0)).map((p) => p.name);
    queries.push({ at, evict });
  }
  return queries;
}

async function runLiveMode(
  scenario: LiveScenario,
  mode: HedgeMode,
  queries: readonly LiveQuery[],
  timeScale: number,
  urlOf: ReadonlyMap<string, string>,
): Promise<ModeRow> {
  const providers: LiveProvider[] = scenario.providers.map((p) => {
    const engine = scenario.engines.find((e) => e.name === p.engine)!;
    return { ...p, url: urlOf.get(p.engine)!, slots: engine.scenario.slots ?? 4 };
  });
  // Warm every model up, as the pool does at start (R-PRV-6).
  await Promise.all(providers.map((p) => loadModel(p)));
  const upstream = new OllamaUpstream(providers);
  const results = await race(scenario, mode, queries, timeScale, providers, upstream);
  return row(scenario, mode, results.results, results.denied, results.opens);
}

async function race(
  scenario: LiveScenario,
  mode: HedgeMode,
  queries: readonly LiveQuery[],
  timeScale: number,
  providers: readonly LiveProvider[],
  upstream: OllamaUpstream,
): Promise<{ results: RaceResult[]; denied: number; opens: number }> {
  const clock = scaledClock(timeScale);
  const board = new BreakerBoard(DEFAULT_BREAKER, clock);
  let opens = 0;
  board.onStateChange((c) => {
    if (c.to === "open") opens++;
  });
  const budget = mode.budgetShare === undefined ? undefined : new HedgeBudget({ share: mode.budgetShare, clock });
  const ctx: RaceContext = {
    clock,
    mode,
    task: "expand_queries",
    providers: providers.map((p) => ({ name: p.name, engine: p.engine })),
    deadlineMs: scenario.deadlineMs,
    engines: upstream,
    board,
    tracker: new LatencyTracker(),
    ...(budget ? { budget } : {}),
  };
  const results = await new Promise<RaceResult[]>((resolve) => {
    const done: RaceResult[] = [];
    queries.forEach((query, i) => {
      clock.setTimer(query.at, () => {
        // The engine drops the model first (when idle), then the query arrives.
        void Promise.all(query.evict.map((name) => upstream.evict(name))).then(() =>
          runRace(ctx, { start: (p, onDone) => upstream.start(p, onDone, `query ${i}: expand the search terms`) }, (r) => {
            done.push(r);
            if (done.length === queries.length) resolve(done);
          }),
        );
      });
    });
  });
  return { results, denied: budget?.stats().denied ?? 0, opens };
}

function row(scenario: LiveScenario, mode: HedgeMode, results: readonly RaceResult[], denied: number, opens: number): ModeRow {
  const calls = results.reduce((sum, r) => sum + r.calls, 0);
  const failed = results.filter((r) => r.status !== "ok").length;
  return {
    mode: mode.label,
    requests: results.length,
    latency: summarize(results.map((r) => (r.status === "ok" ? r.latencyMs : scenario.deadlineMs))),
    failed: failed / results.length,
    extraCalls: (calls - results.length) / results.length,
    denied,
    breakerOpens: opens,
  };
}
