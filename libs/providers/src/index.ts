// @llm-pool/providers — the drivers behind core's Provider interface, the engine slot queues,
// health and warm-up.

// For the composition root: build the source, follow reloads, watch health, warm models.
export { ProviderRuntime, createProviderSource } from "./provider-runtime.js";

// For the model quality check (tools/models), which drives the in-process engine directly.
export { EmbeddedDriver } from "./embedded/index.js";

// For the overload bench, whose simulated engine stands in for a driver behind the real ManagedProvider and EngineQueue.
export { ProviderError } from "./provider-error.js";
export type { Driver, DriverTable } from "./driver.js";
