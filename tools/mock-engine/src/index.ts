// For tests and benchmarks: start an engine, shape it with a scenario, read its record.
export { startMockEngine, resolveScenario, type MockEngine, type MockEngineOptions, type MockEngineStats } from "./server.js";
export type { AnswerRule, FaultKind, FaultSpec, LatencySpec, ModelSpec, ResolvedScenario, Scenario, ScriptStep } from "./scenario.js";
export { FAULT_KINDS } from "./scenario.js";
export { ScenarioError, validateScenario } from "./scenario-validate.js";
export { loadScenarioFile } from "./scenario-file.js";
export type { Fate, RecordEntry, PromptSummary } from "./record.js";
export type { SlotStats } from "./slots.js";

// For driving time by hand.
export { realClock, type Clock } from "./clock.js";
export { ManualClock } from "./manual-clock.js";

// The answer rules, for tests that want to predict an engine's text without a server.
export { composeAnswer, modelJson, type OutputFormat } from "./answers.js";
export { countTokens } from "./tokens.js";
