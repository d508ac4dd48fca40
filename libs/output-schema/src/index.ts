// @llm-pool/output-schema — the one place JSON Schemas for engine answers are
// compiled: under limits, with a linear-time regular expression engine.
export { OutputSchemaCompiler } from "./output-schema-compiler.js";
