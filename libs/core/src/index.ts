export { Code } from "./code.js";
export { PoolError, invalidArgument } from "./pool-error.js";
export { systemClock, sleep, type Clock } from "./clock.js";
export { FakeClock } from "./fake-clock.js";
export { Deadline } from "./deadline.js";
export { linkedAbort, type LinkedAbort } from "./linked-abort.js";
export { seededRandom, type Random } from "./random.js";
export {
  STRATEGIES,
  TASK_NAMES,
  strategyEnum,
  strategyName,
  type StrategyName,
  taskEnum,
  taskName,
  type TaskName,
} from "./task.js";
export type {
  CallEnd,
  CallForecast,
  ClassifiedFailure,
  FinishReason,
  OutputSpec,
  Provider,
  ProviderRequest,
  ProviderResult,
  TextSink,
  Usage,
} from "./provider.js";
export { admissionRefusal } from "./admission-refusal.js";
export type * from "./provider-pool.js";
export type * from "./infer-service.js";
export { checkOutput, type OutputVerdict } from "./output-check.js";
export type * from "./ensemble.js";
export type * from "./call-observer.js";
export { progressMessage } from "./progress-message.js";
export { NoProviderError, type ProviderUnavailability } from "./no-provider-error.js";
export { ensembleSettingsFrom, ensembleSettingsOf, type EnsembleSettings, type JudgeFallback } from "./ensemble-settings.js";
export { totalUsage } from "./total-usage.js";
export { Orchestrator, type InferObserver, type InferRecord } from "./orchestrator.js";
export { validateQuery } from "./validate-query.js";
export { bindTenant } from "./tenant-binding.js";
export { renderPrompt } from "./prompt-render.js";
export type { PolicyQuery, TenantLimits, TokenReservation } from "./tenant-limits.js";
export type { AnswerCache, IdempotencyGuard, MemoContext } from "./answer-memo.js";
