import type { SimEngineSpec } from "./sim-engine.js";
import type { HedgingScenario, SimModel } from "./hedging-scenario.js";

/**
 * One Mac mini (M4) running Ollama with two slots (the example config's
 * max_concurrency = 2). Two generations at once share its memory bandwidth:
 * each runs at about half speed (two of the same model batch, cheaper).
 */
const MAC_MINI: SimEngineSpec = { name: "mac-mini", slots: 2, contention: 0.9, batchContention: 0.3 };

/** llama3.1:8b (Q4_K_M) on an M4: about 21 tokens/s generated, 225 tokens/s of prompt read. */
const LLAMA: SimModel = {
  provider: "ollama-llama31-8b",
  model: "llama3.1:8b",
  engine: "mac-mini",
  generatedPerSecond: 21,
  promptPerSecond: 225,
  coldLoad: { p50: 3500, p95: 8000 },
  evictionRate: 0,
};

/** phi3:mini on the same M4: about twice as fast, and the first to be dropped when memory runs short. */
const PHI3: SimModel = {
  provider: "ollama-phi3-mini",
  model: "phi3:mini",
  engine: "mac-mini",
  generatedPerSecond: 42,
  promptPerSecond: 450,
  coldLoad: { p50: 1500, p95: 4000 },
  evictionRate: 0.03,
};

/** The expand_queries prompt: its template and a short client text. */
const PROMPT_TOKENS = 100;

/** The seed's online deadline. */
const DEADLINE_MS = 1200;

/** Answer lengths the acceptance scenario is measured at, in tokens. */
export const ANSWER_LENGTHS: readonly number[] = [4, 8, 12, 16, 24, 32];

/**
 * The seed's acceptance setup (R-QOS-3): FASTEST over phi3:mini then
 * llama3.1:8b on one Mac mini, hedge after 350 ms, answers of
 * `answerTokens` tokens; phi3 is dropped before ~3% of queries and its next
 * call pays a cold load.
 */
export function macMini(answerTokens: number): HedgingScenario {
  return {
    name: `mac-mini, ${answerTokens}-token answers`,
    description: `one Mac mini M4 (Ollama, 2 slots): phi3:mini (42 tok/s, prompt 450 tok/s) then llama3.1:8b (21 tok/s, prompt 225 tok/s); ${PROMPT_TOKENS}-token prompts, ${answerTokens}-token answers; phi3 evicted before ~3% of queries (cold loads 0.6-10 s)`,
    engines: [MAC_MINI],
    models: [PHI3, LLAMA],
    promptTokens: PROMPT_TOKENS,
    answerTokens,
    ratePerSecond: 0.5,
    deadlineMs: DEADLINE_MS,
    requests: 2000,
    seed: 20_240_602,
  };
}

/** phi3:mini on a second Mac mini: the backup of the two-box scenarios. */
const PHI3_ON_B: SimModel = { ...PHI3, provider: "ollama-phi3-mini-b", engine: "box-b", evictionRate: 0 };

/** R-QOS-3's case: the primary's box stalls now and then; a second box has the same model, healthy. */
export const slowProvider: HedgingScenario = {
  name: "slow-provider",
  description: "phi3:mini on box-a stalls on 10% of calls (+600 ms median); phi3:mini on box-b (a second Mac mini) is healthy; 16-token answers",
  engines: [
    { ...MAC_MINI, name: "box-a" },
    { ...MAC_MINI, name: "box-b" },
  ],
  models: [{ ...PHI3, engine: "box-a", evictionRate: 0, stall: { probability: 0.1, p50: 600, p95: 850 } }, PHI3_ON_B],
  promptTokens: PROMPT_TOKENS,
  answerTokens: 16,
  ratePerSecond: 0.5,
  deadlineMs: DEADLINE_MS,
  requests: 2000,
  seed: 20_240_601,
};

/** Pure contention: both models warm on one Mac mini under load; every delay comes from sharing it. */
export const contention: HedgingScenario = {
  name: "contention",
  description: "one Mac mini (2 slots) at 1.2 queries/s, phi3:mini then llama3.1:8b, both warm; 8-token answers; every delay comes from sharing the engine",
  engines: [MAC_MINI],
  models: [
    { ...PHI3, evictionRate: 0 },
    { ...LLAMA, evictionRate: 0 },
  ],
  promptTokens: PROMPT_TOKENS,
  answerTokens: 8,
  ratePerSecond: 1.2,
  deadlineMs: DEADLINE_MS,
  requests: 2000,
  seed: 20_240_603,
};

/**
 * The primary's engine breaks after 50 queries: from then on every call fails
 * with HTTP 500 (R-QOS-1). FASTEST fails over at once; the breaker keeps
 * the broken provider out of the way.
 */
export const failingProvider: HedgingScenario = {
  ...slowProvider,
  name: "failing-provider",
  description: "phi3:mini on box-a answers HTTP 500 to every call after the first 50 queries; phi3:mini on box-b is healthy; 16-token answers",
  models: [{ ...PHI3, engine: "box-a", evictionRate: 0, fault: { fromQuery: 50, share: 1, kind: "error" } }, PHI3_ON_B],
  seed: 20_240_604,
};

/** Every scenario the bench measures: the acceptance setup at each answer length, then the other three. */
export function hedgingScenarios(): HedgingScenario[] {
  return [...ANSWER_LENGTHS.map(macMini), slowProvider, contention, failingProvider];
}
