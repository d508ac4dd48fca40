// @llm-pool/providers/test-support: for specs only. Never built; no file under src/ may import it (.dependency-cruiser.cjs).
export * from "./gbnf-sampler.js";
export * from "./provider-fixtures.js";
export * from "./real-engines/engine-cases.js";
export * from "./real-engines/engine-checks.js";
export * from "./real-engines/engine-process.js";
export * from "./real-engines/health-probing.js";
export * from "./repo-root.js";
