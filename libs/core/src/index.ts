export { Code, isCode } from "./code.js";
export { PoolError, invalidArgument, type PoolErrorOptions } from "./pool-error.js";
export { systemClock, sleep, type Clock } from "./clock.js";
export { FakeClock } from "./fake-clock.js";
export { Deadline, effectiveDeadlineMs } from "./deadline.js";
export * from "./task.js";
export type * from "./provider.js";
export type * from "./infer-service.js";
export { resolveRequestId } from "./request-id.js";
export { checkOutput, type OutputVerdict } from "./output-check.js";
export type { SchemaCompiler } from "./schema-compiler.js";
export type * from "./ensemble.js";
export {
  Orchestrator,
  type InferObserver,
  type InferRecord,
  type OrchestratorDeps,
  type PolicyQuery,
  type TenantPolicy,
} from "./orchestrator.js";
export { validateQuery, type ValidQuery } from "./validate-query.js";
export { bindTenant, DEFAULT_SCOPE, type TenantScope } from "./tenant-binding.js";
export { renderPrompt, type RenderedPrompt } from "./prompt-render.js";
export { buildAnswer } from "./answer-builder.js";
export type * from "./provider-source.js";
export { ensembleSettingsFrom, type EnsembleSettings, type JudgeFallback } from "./ensemble-settings.js";
export type { AnswerCache, IdempotencyGuard, MemoContext } from "./answer-memo.js";
export { seededRandom, type Random } from "./random.js";
