// @llm-pool/config — the one llm-pool.toml: schema, defaults, validation into an immutable
// snapshot, hot reload and check-config.

// For the server and every library that reads config.
export { loadConfig, parseConfig, MAX_CONFIG_BYTES } from "./load-config.js";
export type { LoadConfigOptions, ParseConfigOptions } from "./load-config.js";
export { watchConfig } from "./watch-config.js";
export { RESTART_ONLY_FIELDS, restartOnlyChanges, type ConfigFieldPath } from "./restart-only.js";
export type {
  ConfigClock,
  ConfigLogger,
  ConfigWatcher,
  ReloadEvent,
  ReloadObserver,
  WatchConfigOptions,
} from "./watch-config.js";
export { checkConfig } from "./check-config.js";
export type { CheckConfigResult } from "./check-config.js";
export { ConfigError, formatIssue } from "./config-error.js";
export type { ConfigIssue, ConfigIssueKind } from "./config-error.js";
export type { ConfigEnv } from "./env-references.js";
export type {
  BreakerConfig,
  CacheConfig,
  ConfigSnapshot,
  EmbeddedProviderConfig,
  EngineConfig,
  EnsembleConfig,
  HttpProviderConfig,
  JudgeConfig,
  OllamaProviderConfig,
  OpenAiProviderConfig,
  ProfileConfig,
  ProviderConfig,
  QosConfig,
  RedisConfig,
  ServerConfig,
  TaskConfig,
  TenancyConfig,
  TracingConfig,
  TenantApiKeyConfig,
  TenantConfig,
  TenantJwtConfig,
  TenantKeyConfig,
  TlsConfig,
} from "./snapshot.js";
export {
  AUTH_MODES,
  JWT_ALGORITHMS,
  OUTPUT_FORMATS,
  PROVIDER_DRIVERS,
  SCOPES,
  STORE_DRIVERS,
  STRATEGIES,
  TASK_NAMES,
  isTaskName,
} from "./names.js";
export type {
  AuthMode,
  JwtAlgorithm,
  OutputFormat,
  ProviderDriver,
  Scope,
  StoreDriver,
  StrategyName,
  TaskName,
} from "./names.js";
export { DEFAULT_SEED, DEFAULT_TEMPERATURE } from "./resolve-tasks.js";
// For the embedded driver, which writes the grammar for exactly what check-config lets through.
export { ENFORCEABLE_KEYWORDS, numberRange, typeTags, unenforceableSchemaParts } from "./enforceable-schema.js";
export type { NumberRange, SchemaProblem } from "./enforceable-schema.js";

// For tooling (editors, generators of docs or JSON Schema): the file's shape before resolution.
export { configFileSchema } from "./schema/config-file.js";
export type { ConfigFile, ConfigFileInput } from "./schema/config-file.js";
export { BODY_PLACEHOLDERS } from "./schema/providers.js";
export { formatPath } from "./config-path.js";
export type { PathSegment } from "./config-path.js";
export { deepFreeze } from "./deep-freeze.js";
export type { DeepReadonly } from "./deep-freeze.js";
