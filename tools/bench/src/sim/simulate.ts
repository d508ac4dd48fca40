import { create } from "@bufbuild/protobuf";
import { QuerySchema, Task } from "@llm-pool/contract";
import { Orchestrator, PoolError } from "@llm-pool/core";
import { createEnsemble } from "@llm-pool/ensemble";
import { createProviderPool } from "@llm-pool/providers";
import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import type { ModeRow } from "../report.js";
import { summarize, type LatencySummary } from "../stats.js";
import { hedgingConfig } from "./hedging-config.js";
import type { HedgingMode } from "./hedging-modes.js";
import { drawHedgingQueries, type HedgingQuery, type HedgingScenario } from "./hedging-scenario.js";
import { SimClock } from "./sim-clock.js";
import { SimEngine } from "./sim-engine.js";
import { simDrivers } from "./sim-driver.js";

/** What one mode did over one scenario's queries. */
export interface RunResult {
  readonly scenario: string;
  readonly mode: string;
  readonly requests: number;
  /** Time to a valid answer; a query without one counts at its deadline. */
  readonly latency: LatencySummary;
  /** Queries that got no answer, by error code (deadline_exceeded, unavailable, resource_exhausted, ...). */
  readonly failures: Readonly<Record<string, number>>;
  /** Calls that reached an engine. */
  readonly calls: number;
  /** Hedges FASTEST started (the budget's count). */
  readonly hedges: number;
  /** Hedges the budget refused. */
  readonly denied: number;
  /** Times a breaker opened, by provider. */
  readonly breakerOpens: Readonly<Record<string, number>>;
  /** Most generations running at once on one engine. */
  readonly peakGenerating: number;
}

/** (engine calls - queries) / queries: the extra load hedging and failovers put on the engines. */
export function extraLoad(r: RunResult): number {
  return (r.calls - r.requests) / r.requests;
}

/** Queries without a valid answer. */
export function failureRate(r: RunResult): number {
  return Object.values(r.failures).reduce((sum, n) => sum + n, 0) / r.requests;
}

export function timeoutRate(r: RunResult): number {
  return (r.failures["deadline_exceeded"] ?? 0) / r.requests;
}

const PROMPT = /^query #(\d+)$/;

/**
 * Runs every query of `scenario` through the pool as apps/pool wires it,
 * minus the transports: the orchestrator, createEnsemble's FASTEST with its
 * breakers, hedge budget and latency tracker, and the providers with their
 * engine queues and forecasts, whose driver talks to simulated engines. All
 * on one virtual clock: no wall time passes, and a seed repeats exactly.
 */
export async function simulate(scenario: HedgingScenario, mode: HedgingMode, queries: readonly HedgingQuery[] = drawHedgingQueries(scenario)): Promise<RunResult> {
  const clock = new SimClock(1_800_000_000_000);
  const start = clock.now();
  const engines = new Map(
    scenario.engines.map((spec) => [spec.name, new SimEngine(spec, clock, scenario.models.filter((m) => m.engine === spec.name).map((m) => m.model))]),
  );
  const engineOfModel = new Map(scenario.models.map((m) => [m.model, engines.get(m.engine)!]));
  let calls = 0;
  const config = await hedgingConfig(scenario, mode);
  const providers = createProviderPool({
    env: {},
    clock,
    drivers: simDrivers({
      engineOf: (provider) => engines.get(provider.engine)!,
      callOf: (provider, prompt) => queries[Number(PROMPT.exec(prompt)?.[1])]?.calls.get(provider),
      onCall: () => calls++,
    }),
  });
  providers.start(config);

  const breakers = new BreakerBoard(config.breaker, clock);
  const breakerOpens: Record<string, number> = {};
  breakers.onStateChange((change) => {
    if (change.to === "open") breakerOpens[change.provider] = (breakerOpens[change.provider] ?? 0) + 1;
  });
  const budget = hedgeBudget(mode, clock);
  const orchestrator = new Orchestrator({
    config: () => config,
    providers,
    ensemble: createEnsemble({ clock, ...(mode.breakers ? { breakers } : {}), hedgeBudget: budget, latency: new LatencyTracker() }),
    clock,
  });

  const outcomes = queries.map(
    (query) =>
      new Promise<{ code: string; latencyMs: number }>((resolve) => {
        clock.setTimer(query.at - (clock.now() - start), () => {
          for (const model of query.evict) engineOfModel.get(model)!.evict(model);
          const sentAt = clock.now();
          const message = create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: `query #${query.index}`, deadlineMs: scenario.deadlineMs });
          orchestrator.infer(message, { signal: new AbortController().signal }).then(
            () => resolve({ code: "ok", latencyMs: clock.now() - sentAt }),
            (error: unknown) => resolve({ code: error instanceof PoolError ? error.code : "internal", latencyMs: clock.now() - sentAt }),
          );
        });
      }),
  );
  const all = Promise.all(outcomes);
  await clock.runSettled(start + Math.max(0, ...queries.map((q) => q.at)) + scenario.deadlineMs + 1000);
  await providers.close();
  await clock.runSettled();
  const results = await all;

  const failures: Record<string, number> = {};
  for (const r of results) if (r.code !== "ok") failures[r.code] = (failures[r.code] ?? 0) + 1;
  return {
    scenario: scenario.name,
    mode: mode.label,
    requests: results.length,
    latency: summarize(results.map((r) => (r.code === "ok" ? r.latencyMs : scenario.deadlineMs))),
    failures,
    calls,
    hedges: budget.stats().hedges - (mode.budgetShare === 0 ? 1 : 0),
    denied: budget.stats().denied,
    breakerOpens,
    peakGenerating: Math.max(...[...engines.values()].map((e) => e.peakGenerating)),
  };
}

/** The pool's hedge budget for `mode`; share 0 leaves the bucket empty (no hedge at all), as a baseline. */
function hedgeBudget(mode: HedgingMode, clock: SimClock): HedgeBudget {
  if (mode.budgetShare > 0) return new HedgeBudget({ share: mode.budgetShare, clock });
  const empty = new HedgeBudget({ share: 0, burst: 1, clock });
  empty.tryAcquire();
  return empty;
}

/** Runs several modes over the same draws, side by side. */
export async function compareModes(scenario: HedgingScenario, modes: readonly HedgingMode[]): Promise<RunResult[]> {
  const queries = drawHedgingQueries(scenario);
  const runs: RunResult[] = [];
  for (const mode of modes) runs.push(await simulate(scenario, mode, queries));
  return runs;
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
