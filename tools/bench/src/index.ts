// @llm-pool/bench — the benchmark as a library: the hedging simulator on a virtual clock and its scenarios, the
// FASTEST race wired with the qos pieces, the live runs against mock engines, the strategy comparison through the
// real ensemble, and the tables. The CLI is src/cli.ts (`npm run bench`).

export { runRace, type CallOutcome, type EngineView, type RaceContext, type RaceProvider, type RaceResult, type RaceUpstream } from "./race/hedged-race.js";
export * from "./race/hedge-mode.js";
export { SimClock } from "./sim/sim-clock.js";
export { SimEngine, type SimCall, type SimEngineSpec, type SimOutcome } from "./sim/sim-engine.js";
export { DEFAULT_BREAKER, drawQueries, type QueryDraws, type SimProviderSpec, type SimScenario } from "./sim/scenario.js";
export { SCENARIOS, contention, failingProvider, macMini, slowProvider } from "./sim/scenarios.js";
export { compareModes, extraLoad, failureRate, simulate, timeoutRate, toRow, type RunResult } from "./sim/simulate.js";
export { simBench, modesFor, type BenchSection, type SimBenchOptions } from "./sim/sim-bench.js";
export { liveBench, type LiveBenchOptions } from "./live/live-bench.js";
export { formatTable, type ModeRow } from "./report.js";
export { summarize, percentile, type LatencySummary } from "./stats.js";
export { alignTable } from "./table.js";
export { strategyBench, drawQueries as drawStrategyQueries, BENCH_STRATEGIES, type StrategyBenchOptions, type StrategySection } from "./strategies/strategy-bench.js";
export { runStrategy, POOL_HEDGE_BUDGET_SHARE, type BenchQuery, type StrategyRun, type StrategyRunOptions } from "./strategies/strategy-run.js";
export { toStrategyRow, formatCostTable, formatDecisionTable, type QueryResult, type StrategyRow } from "./strategies/strategy-report.js";
export { STRATEGY_SCENARIOS, mostlyAgree, disagree, engineScenario, type StrategyScenario } from "./strategies/strategy-scenarios.js";
export { weightedDrift, formatDriftTable, DRIFT_SCENARIOS, type DriftOptions, type DriftRow, type DriftScenario } from "./strategies/weighted-drift.js";
