// @llm-pool/bench — the benchmark as a library: the shipped FASTEST's hedging over simulated engines on a virtual
// clock and its scenarios, the strategy comparison through the real ensemble, and the tables. The CLI is src/cli.ts
// (`npm run bench`).

export { SimClock } from "./sim/sim-clock.js";
export { SimEngine, type SimCall, type SimEngineSpec, type SimOutcome } from "./sim/sim-engine.js";
export { drawHedgingQueries, serviceMs, type HedgingQuery, type HedgingScenario, type SimModel } from "./sim/hedging-scenario.js";
export { ANSWER_LENGTHS, contention, failingProvider, hedgingScenarios, macMini, slowProvider } from "./sim/hedging-scenarios.js";
export * from "./sim/hedging-modes.js";
export { compareModes, extraLoad, failureRate, simulate, timeoutRate, toRow, type RunResult } from "./sim/simulate.js";
export { simBench, modesFor, type BenchSection, type SimBenchOptions } from "./sim/sim-bench.js";
export { formatTable, type ModeRow } from "./report.js";
export { summarize, percentile, type LatencySummary } from "./stats.js";
export { alignTable } from "./table.js";
export { strategyBench, drawQueries as drawStrategyQueries, BENCH_STRATEGIES, type StrategyBenchOptions, type StrategySection } from "./strategies/strategy-bench.js";
export { runStrategy, POOL_HEDGE_BUDGET_SHARE, type BenchQuery, type StrategyRun, type StrategyRunOptions } from "./strategies/strategy-run.js";
export { toStrategyRow, formatCostTable, formatDecisionTable, type QueryResult, type StrategyRow } from "./strategies/strategy-report.js";
export { STRATEGY_SCENARIOS, mostlyAgree, disagree, engineScenario, type StrategyScenario } from "./strategies/strategy-scenarios.js";
export { weightedDrift, formatDriftTable, DRIFT_SCENARIOS, type DriftOptions, type DriftRow, type DriftScenario } from "./strategies/weighted-drift.js";
