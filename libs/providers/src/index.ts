// @llm-pool/providers — the drivers behind core's Provider interface, the engine slot queues,
// health and warm-up.

// For the composition root: build the provider pool, follow reloads, watch health, warm models.
export { LiveProviderPool, createProviderPool } from "./live-provider-pool.js";

// For the model quality check (tools/models), which drives the in-process engine directly.
export { EmbeddedDriver } from "./embedded/index.js";

// For the overload bench, whose simulated engine stands in for a driver behind the real PooledProvider and EngineQueue.
export { ProviderError } from "./provider-error.js";
export type { Driver, DriversByKind } from "./driver.js";
