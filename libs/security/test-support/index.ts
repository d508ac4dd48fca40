// @llm-pool/security/test-support: for specs only. Never built; no file under src/ may import it (.dependency-cruiser.cjs).
export * from "./tenancy-fixtures.js";
