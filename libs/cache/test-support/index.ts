// @llm-pool/cache/test-support: for specs only. Never built; no file under src/ may import it (.dependency-cruiser.cjs).
export * from "./memo-pipeline.js";
