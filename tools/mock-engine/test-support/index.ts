// @llm-pool/mock-engine/test-support: for specs only. Never built; no file under src/ may import it (.dependency-cruiser.cjs).
export * from "./http-reading.js";
