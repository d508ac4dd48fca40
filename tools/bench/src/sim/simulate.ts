import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import type { HedgeMode } from "../race/hedge-mode.js";
import { runRace, type EngineView, type RaceContext, type RaceResult, type RaceUpstream } from "../race/hedged-race.js";
import type { ModeRow } from "../report.js";
import { summarize, type LatencySummary } from "../stats.js";
import { drawQueries, type QueryDraws, type SimScenario } from "./scenario.js";
import { SimClock } from "./sim-clock.js";
import { SimEngine } from "./sim-engine.js";

const TASK = "expand_queries";

/** What one mode did over one scenario's queries. */
export interface RunResult {
  readonly scenario: string;
  readonly mode: string;
  readonly requests: number;
  /** Time to a valid answer; a query that timed out or was unavailable counts at its deadline. */
  readonly latency: LatencySummary;
  readonly timeouts: number;
  readonly unavailable: number;
  readonly calls: number;
  readonly hedges: number;
  /** Hedges the budget refused. */
  readonly denied: number;
  /** Times a breaker opened, by provider. */
  readonly breakerOpens: Readonly<Record<string, number>>;
  /** Most generations running at once on one engine. */
  readonly peakGenerating: number;
}

/** (upstream calls - queries) / queries: the extra load hedging and failovers put on the engines. */
export function extraLoad(r: RunResult): number {
  return (r.calls - r.requests) / r.requests;
}

export function timeoutRate(r: RunResult): number {
  return r.timeouts / r.requests;
}

/** Queries without a valid answer: timed out, or unavailable (every provider failed or was skipped). */
export function failureRate(r: RunResult): number {
  return (r.timeouts + r.unavailable) / r.requests;
}

/** Runs every query of `scenario` under `mode` on a virtual clock; no wall time passes. */
export function simulate(scenario: SimScenario, mode: HedgeMode, draws: readonly QueryDraws[] = drawQueries(scenario)): RunResult {
  const clock = new SimClock();
  const engines = new Map(
    scenario.engines.map((spec) => [
      spec.name,
      new SimEngine(
        spec,
        clock,
        scenario.providers.filter((p) => p.engine === spec.name).map((p) => p.name),
      ),
    ]),
  );
  const engineOf = new Map(scenario.providers.map((p) => [p.name, engines.get(p.engine)!]));
  const board = new BreakerBoard(scenario.breaker, clock);
  const breakerOpens: Record<string, number> = {};
  board.onStateChange((change) => {
    if (change.to === "open") breakerOpens[change.provider] = (breakerOpens[change.provider] ?? 0) + 1;
  });
  const budget = mode.budgetShare === undefined ? undefined : new HedgeBudget({ share: mode.budgetShare, clock });
  const view: EngineView = {
    engineHasFreeSlot: (engine) => engines.get(engine)!.hasFreeSlot(),
    isResident: (provider) => engineOf.get(provider)!.isResident(provider),
    isQueued: (engine) => engines.get(engine)!.isQueued(),
  };
  const ctx: RaceContext = {
    clock,
    mode,
    task: TASK,
    providers: scenario.providers.map((p) => ({ name: p.name, engine: p.engine })),
    deadlineMs: scenario.deadlineMs,
    engines: view,
    board,
    tracker: new LatencyTracker(),
    ...(budget ? { budget } : {}),
  };

  const results: RaceResult[] = [];
  for (const query of draws) {
    clock.setTimer(query.at, () => {
      for (const name of query.evict) engineOf.get(name)!.evict(name);
      const upstream: RaceUpstream = {
        start: (provider, onDone) => engineOf.get(provider.name)!.submit(query.calls.get(provider.name)!, onDone),
      };
      runRace(ctx, upstream, (result) => results.push(result));
    });
  }
  clock.run();

  return {
    scenario: scenario.name,
    mode: mode.label,
    requests: results.length,
    latency: summarize(results.map((r) => (r.status === "ok" ? r.latencyMs : scenario.deadlineMs))),
    timeouts: results.filter((r) => r.status === "timeout").length,
    unavailable: results.filter((r) => r.status === "unavailable").length,
    calls: results.reduce((sum, r) => sum + r.calls, 0),
    hedges: results.reduce((sum, r) => sum + r.hedges, 0),
    denied: budget?.stats().denied ?? 0,
    breakerOpens,
    peakGenerating: Math.max(...[...engines.values()].map((e) => e.peakGenerating)),
  };
}

/** Runs several modes over the same draws, side by side. */
export function compareModes(scenario: SimScenario, modes: readonly HedgeMode[]): RunResult[] {
  const draws = drawQueries(scenario);
  return modes.map((mode) => simulate(scenario, mode, draws));
}

export function toRow(r: RunResult): ModeRow {
  return {
    mode: r.mode,
    requests: r.requests,
    latency: r.latency,
    failed: failureRate(r),
    extraCalls: extraLoad(r),
    denied: r.denied,
    breakerOpens: Object.values(r.breakerOpens).reduce((sum, n) => sum + n, 0),
  };
}
