// @llm-pool/output-schema — the one place JSON Schemas for engine answers are
// compiled: under limits, with a linear-time regular expression engine.
export { OutputSchemaCompiler, type CompileResult, type OutputSchemaCompilerOptions } from "./output-schema-compiler.js";
export type { CompiledSchema, SchemaVerdict } from "./compiled-schema.js";
export type { InstanceLimits, SchemaLimits } from "./schema-limits.js";
