// @llm-pool/config — the one llm-pool.toml: schema, defaults, validation into an immutable
// snapshot, hot reload and check-config.

// For the server and every library that reads config.
export { loadConfig, parseConfig } from "./load-config.js";
export { watchConfig } from "./watch-config.js";
export { checkConfig } from "./check-config.js";
export { CONFIG_DEFAULTS } from "./config-defaults.js";
export type {
  BreakerConfig,
  ConfigSnapshot,
  EmbeddedProviderConfig,
  HttpProviderConfig,
  OllamaProviderConfig,
  OpenAiProviderConfig,
  ProviderConfig,
  ServerConfig,
  TaskConfig,
  TenancyConfig,
  TenantApiKeyConfig,
  TenantConfig,
  TenantJwtConfig,
} from "./snapshot.js";
export { SCOPES, STRATEGIES, TASK_NAMES } from "./names.js";
export type { AuthMode, OutputFormat, ProviderDriver, Scope, StrategyName, TaskName } from "./names.js";
export { BODY_PLACEHOLDERS } from "./schema/providers.js";

// For the embedded driver, which writes the grammar for exactly what check-config lets through.
export { numberRange, typeTags } from "./enforceable-schema.js";
export type { NumberRange } from "./enforceable-schema.js";
