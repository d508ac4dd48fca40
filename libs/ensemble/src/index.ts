// For the composition root and the orchestrator.
export { createEnsemble, implementedStrategies, type EnsembleDeps } from "./registry.js";
export { DEFAULT_ENSEMBLE_SETTINGS, settingsOf } from "./settings.js";
export {
  winRatesFromConfig,
  winRateSamples,
  type ConfiguredWinRates,
  type WinRatesFromConfigDeps,
} from "./win-rate/from-config.js";
export { DEFAULT_EXPLORATION, isExploring } from "./exploration.js";

// The pieces, for other libraries and for tests.
export { fastest, createFastest } from "./fastest.js";
export { createVoting } from "./voting.js";
export { createConsensus } from "./consensus.js";
export { createWeighted } from "./weighted.js";
export { createJudge, JUDGE_MAX_TOKENS } from "./judge.js";
export { chainFor } from "./fallback-chain.js";
export type { Strategy } from "./strategy.js";
export type { StrategyDeps } from "./run-context.js";
export { createOutputValidator, parseOnlyValidator, type OutputValidator } from "./output-validator.js";
export { VERDICT_SCHEMA } from "./verdict.js";
export type { WinRateStore } from "./win-rate.js";
export { MemoryWinRateStore, type MemoryWinRateOptions } from "./win-rate/memory.js";
export { RedisWinRateStore, type RedisWinRateOptions } from "./win-rate/redis.js";
export type { Similarity } from "./similarity.js";
export { createSimilarityChooser, type SimilarityChooser } from "./similarity/choose.js";
export { levenshteinDistance, levenshteinRatio, levenshteinSimilarity } from "./similarity/levenshtein.js";
export { MinHash, type MinHashOptions } from "./similarity/minhash.js";
export { createTextSimilarity, type TextBlendOptions } from "./similarity/text-blend.js";
export { comparisonForm, comparisonJson, type JsonValue } from "./similarity/comparison-form.js";
export { createJsonSimilarity, jsonAgreement } from "./similarity/json-agreement.js";
export type { Embedder } from "./similarity/embedding.js";
export {
  clusterByThreshold,
  memoizedPairScore,
  type Cluster,
  type ClusterItem,
  type Clustering,
} from "./clustering.js";
