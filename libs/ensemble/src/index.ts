// For the composition root: the ensemble, WEIGHTED's win-rates and the validator it shares with admission.
export { createEnsemble } from "./registry.js";
export { winRatesFromConfig, winRateSamples } from "./win-rate/from-config.js";
export { createOutputValidator } from "./output-validator.js";

// For the bench.
export { DEFAULT_EXPLORATION, isExploring } from "./exploration.js";
export { VERDICT_SCHEMA } from "./verdict.js";
