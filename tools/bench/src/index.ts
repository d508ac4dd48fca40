// @llm-pool/bench — the hedging benchmark as a library: the virtual-clock simulator and its scenarios, the
// FASTEST race wired with the qos pieces, and the table. The CLI is src/cli.ts (`npm run bench`).

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
