// @llm-pool/providers — the drivers behind core's Provider interface, the engine slot queues,
// health and warm-up.

// For the composition root: build the source, follow reloads, watch health, warm models.
export { ProviderRuntime, createProviderSource } from "./provider-runtime.js";
export { ProviderRegistry, type ApplyReport, type ProviderRegistryOptions } from "./provider-registry.js";
export { HealthMonitor, type HealthMonitorOptions } from "./health/health-monitor.js";
export { DEFAULT_HEALTH_POLICY, type HealthPolicy } from "./health/health-policy.js";
export type { WarmUpResult } from "./warm-up.js";
export type { ProviderEnv, ProviderLogger } from "./driver.js";
export type { FetchLike } from "./engine-request.js";

// For other libraries (ensemble, qos): the error vocabulary and what a provider exposes beyond core's interface.
export { ProviderError, isProviderError, type ProviderErrorKind, type ProviderErrorOptions } from "./provider-error.js";
export { ManagedProvider } from "./managed-provider.js";
export { EngineQueue, SaturatedError, type EngineQueueOptions, type SlotLease } from "./engine-queue.js";
export { HealthTracker, type HealthIdentity } from "./health/health-tracker.js";
export type { DeadlineAwareRequest } from "./driver.js";

// For writing a driver: one folder with a factory, plus a line in DEFAULT_DRIVERS.
export { DEFAULT_DRIVERS } from "./drivers.js";
export type { Driver, DriverContext, DriverFactory, DriverTable } from "./driver.js";
export { OllamaDriver, createOllamaDriver, type OllamaDriverConfig, type OllamaEndpoint } from "./ollama/index.js";
export { OpenAiDriver, createOpenAiDriver } from "./openai/index.js";
export { HttpDriver, createHttpDriver } from "./http/index.js";
export { EmbeddedDriver, createEmbeddedDriver } from "./embedded/index.js";
export { parseJsonPath, readJsonPath, type JsonPath } from "./json-path.js";
export { ResidencyView, type ResidencyReport } from "./residency-view.js";
