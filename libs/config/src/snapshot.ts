import type {
  AuthMode,
  JwtAlgorithm,
  OutputFormat,
  Scope,
  StoreDriver,
  StrategyName,
  TaskName,
} from "./names.js";

// The resolved, immutable view of one llm-pool.toml. Field names keep the file's snake_case so the
// file, the docs, the logs and the code use one vocabulary. Every default is filled in, every
// relative path is absolute, every task is fully resolved: consumers never fall back on their own.

export interface TlsConfig {
  readonly cert_file: string;
  readonly key_file: string;
  readonly client_ca_file: string | null;
  readonly require_client_cert: boolean;
}

export interface ServerConfig {
  /** As written: "127.0.0.1:7070", "[::1]:7070". */
  readonly listen: string;
  /** `listen` split; an IPv6 host without brackets. */
  readonly host: string;
  readonly port: number;
  readonly max_body_bytes: number;
  readonly max_header_bytes: number;
  readonly header_timeout_ms: number;
  readonly request_timeout_ms: number;
  readonly idle_timeout_ms: number;
  /** Open connections at most; the listener closes the ones above at once. */
  readonly max_connections: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: requests in flight on one connection. */
  readonly max_streams_per_connection: number;
  /** Requests in flight on the whole server; above it, 503 / UNAVAILABLE with Retry-After. */
  readonly max_in_flight: number;
  readonly shutdown_grace_ms: number;
  readonly metrics_public: boolean;
  readonly log_prompts: boolean;
  /** Origins whose browser pages may call the pool (CORS preflights answered, responses readable); empty: none. */
  readonly cors_allowed_origins: readonly string[];
  readonly tls: TlsConfig | null;
  /** Serve /v1/chat/completions, /v1/completions and /v1/models on the main port (R-API-7). */
  readonly openai_compatible: boolean;
  /** Where the Ollama-compatible door listens, as written; null when it is off (R-API-7). */
  readonly ollama_listen: string | null;
  /** `ollama_listen` split; null when it is off. */
  readonly ollama: { readonly host: string; readonly port: number } | null;
}

export interface QosConfig {
  readonly max_deadline_ms: number;
  readonly default_deadline_ms: number;
  readonly max_prompt_bytes: number;
  readonly max_tokens_cap: number;
  readonly default_max_tokens: number;
  readonly hedge_after_ms: number;
  readonly deadline_margin_ms: number;
  readonly judge_share: number;
  /** Hedges may add at most this share of primary calls, so a saturated machine is never doubled. */
  readonly hedge_budget_share: number;
  /** "fixed": hedge at hedge_after_ms; "adaptive": at the primary's observed percentile for the task. */
  readonly hedge_mode: "fixed" | "adaptive";
  /** The percentile adaptive hedging waits for (0.5 – 0.99). */
  readonly hedge_percentile: number;
  /** Learn each engine's concurrency from latency, between 1 and max_concurrency; false keeps max_concurrency. */
  readonly adaptive_concurrency: boolean;
}

export interface EnsembleConfig {
  readonly default_strategy: StrategyName;
  readonly similarity_threshold: number;
  readonly consensus_threshold: number;
  readonly min_candidates: number;
  /** Where WEIGHTED's win-rates live: per process, or on Redis shared by replicas. */
  readonly win_rate_store: "memory" | "redis";
  /** Env var holding the Redis URL when win_rate_store = "redis". */
  readonly win_rate_redis_url_env: string | null;
  /** Half-life of the win-rate history, in ms. */
  readonly win_rate_half_life_ms: number;
}

export interface BreakerConfig {
  readonly window_size: number;
  readonly failure_rate: number;
  readonly min_calls: number;
  /** How long the first opening lasts; each failed probe doubles it, up to max_open_ms. */
  readonly open_ms: number;
  readonly max_open_ms: number;
  readonly half_open_probes: number;
  /** A timeout counts against a provider when the engine had the call for this many times its typical time (0: every timeout, queued or running). */
  readonly slow_factor: number;
}

export interface CacheConfig {
  readonly enabled: boolean;
  readonly driver: StoreDriver;
  readonly default_ttl_ms: number;
  readonly max_entries: number;
  readonly max_bytes: number;
  /** Name of the env var holding the Redis URL (checked to be set when driver = "redis"). */
  readonly redis_url_env: string | null;
  readonly idempotency_ttl_ms: number;
  /** Whether tenants may be answered from each other's cached answers. */
  readonly share_across_tenants: boolean;
  /** With Redis down: "open" runs without idempotency, "closed" refuses with 503. */
  readonly idempotency_on_store_failure: "open" | "closed";
}

/** `[tracing]`: OpenTelemetry over OTLP/HTTP; read at start. */
export interface TracingConfig {
  readonly enabled: boolean;
  readonly otlp_endpoint: string;
  readonly service_name: string;
  readonly sample_ratio: number;
  readonly include_prompts: boolean;
}

/** Shared by every store on Redis (cache, idempotency, nonces, rate limits, quotas, win-rates). */
export interface RedisConfig {
  /** A reply must arrive within this, or the command fails and the store is skipped for a while. */
  readonly command_timeout_ms: number;
}

export interface JudgeConfig {
  /** The provider that gives JUDGE verdicts; null when no task can use JUDGE. */
  readonly provider: string | null;
  readonly max_tokens: number;
  readonly fallback: "VOTING" | "WEIGHTED" | "FASTEST";
}

interface ProviderBase {
  readonly name: string;
  readonly model: string;
  /** Providers with the same engine share one concurrency limit. */
  readonly engine: string;
  /** The engine's limit (the same value on every provider of that engine). */
  readonly max_concurrency: number;
  readonly tasks: readonly TaskName[];
  readonly weight: number;
  readonly timeout_ms: number | null;
}

export interface OllamaProviderConfig extends ProviderBase {
  readonly driver: "ollama";
  readonly base_url: string;
  readonly keep_alive: string;
  /** `/api/chat` (default) or `/api/generate`. */
  readonly endpoint: "chat" | "generate";
}

export interface OpenAiProviderConfig extends ProviderBase {
  readonly driver: "openai";
  readonly base_url: string;
  readonly api_key_env: string | null;
  readonly endpoint: "chat" | "completions";
}

export interface HttpProviderConfig extends ProviderBase {
  readonly driver: "http";
  readonly base_url: string;
  readonly api_key_env: string | null;
  readonly method: "POST" | "PUT";
  readonly path: string;
  /** Values may hold `${ENV}` references; the provider substitutes them, the config only checks them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body_template: Readonly<Record<string, unknown>>;
  readonly text_path: string;
  readonly prompt_tokens_path: string | null;
  readonly completion_tokens_path: string | null;
  readonly health_path: string | null;
}

export interface EmbeddedProviderConfig extends ProviderBase {
  readonly driver: "embedded";
  /** Absolute. */
  readonly model_path: string;
  readonly threads: number;
  /** Penalty on tokens repeated within the last 64 (llama.cpp's repeat_penalty); 1 = off. */
  readonly repeat_penalty: number;
  readonly context_size: number;
}

export type ProviderConfig =
  | OllamaProviderConfig
  | OpenAiProviderConfig
  | HttpProviderConfig
  | EmbeddedProviderConfig;

export interface EngineConfig {
  readonly name: string;
  readonly max_concurrency: number;
  /** Provider names, in file order. */
  readonly providers: readonly string[];
}

export interface ProfileConfig {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly providers: readonly string[];
  readonly hedge_after_ms: number | null;
  readonly weights: Readonly<Record<string, number>>;
}

export interface TaskConfig {
  readonly name: TaskName;
  /** The kill switch: a disabled task is refused before any provider is called. */
  readonly enabled: boolean;
  readonly profile: string | null;
  readonly strategy: StrategyName;
  /** Hedge order: the first is tried first, the next after hedge_after_ms. */
  readonly providers: readonly string[];
  readonly fallback_providers: readonly string[];
  /** Weight of each provider in `providers` and `fallback_providers` (for WEIGHTED). */
  readonly weights: Readonly<Record<string, number>>;
  readonly deadline_ms: number;
  readonly max_tokens: number;
  readonly hedge_after_ms: number;
  /** 0 = answers of this task are never cached. */
  readonly cache_ttl_ms: number;
  /** 0-9: on a saturated engine, a tenant's waiting calls of higher priority go first. */
  readonly priority: number;
  readonly temperature: number;
  readonly seed: number;
  readonly output: OutputFormat;
  /** Absolute path, or null when the task uses the built-in instruction. */
  readonly prompt_file: string | null;
  readonly prompt: string | null;
  readonly schema_file: string | null;
  /** The parsed JSON Schema for output = "json_schema". */
  readonly schema: unknown;
}

export interface TenantKeyConfig {
  readonly id: string;
  /** Name of the env var that holds the secret (never the secret). */
  readonly secret_env: string;
  /** What requests signed with this key may do (default ["infer"]). */
  readonly scopes: readonly Scope[];
}

/** A bearer API key: its id and the SHA-256 (hex) of the key; the key itself is never in the config. */
export interface TenantApiKeyConfig {
  readonly id: string;
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

export interface TenantJwtConfig {
  readonly jwks_url: string | null;
  /** Absolute. */
  readonly jwks_file: string | null;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly algorithms: readonly JwtAlgorithm[];
}

export interface TenantConfig {
  readonly id: string;
  readonly enabled: boolean;
  readonly projects: readonly string[];
  readonly default_project: string;
  readonly keys: readonly TenantKeyConfig[];
  /** Bearer API keys (R-API-7), accepted in every auth mode but "none". */
  readonly api_keys: readonly TenantApiKeyConfig[];
  readonly jwt: TenantJwtConfig | null;
  readonly rate_rps: number;
  readonly rate_burst: number;
  readonly tokens_per_day: number;
  /** Already capped by [qos]. */
  readonly max_tokens: number;
  readonly max_deadline_ms: number;
  readonly max_parallel_providers: number;
  /**
   * The tenant's share of a saturated engine relative to other tenants (weighted fair queueing).
   * Always filled by the loader; optional so hand-built tenants in tests stay valid (read it as `?? 1`).
   */
  readonly weight?: number;
  readonly allowed_tasks: readonly TaskName[];
  readonly allowed_strategies: readonly StrategyName[];
}

export interface TenancyConfig {
  readonly auth: AuthMode;
  readonly allow_unauthenticated: boolean;
  readonly nonce_store: StoreDriver;
  readonly rate_limit_store: StoreDriver;
  readonly redis_url_env: string | null;
  readonly clock_skew_s: number;
  /** With Redis down or hung: "refuse" (503) or "local" (per-process memory, with a metric). */
  readonly on_store_failure: "refuse" | "local";
  readonly nonce_ttl_s: number;
  readonly tenants: Readonly<Record<string, TenantConfig>>;
}

export interface ConfigSnapshot {
  /** First 16 hex digits of the SHA-256 of the file's bytes. */
  readonly version: string;
  /** The file it came from, as given to the loader. */
  readonly path: string;
  readonly server: ServerConfig;
  readonly qos: QosConfig;
  readonly ensemble: EnsembleConfig;
  readonly breaker: BreakerConfig;
  readonly cache: CacheConfig;
  readonly redis: RedisConfig;
  readonly judge: JudgeConfig;
  /** In file order. */
  readonly providers: readonly ProviderConfig[];
  readonly engines: readonly EngineConfig[];
  readonly profiles: Readonly<Record<string, ProfileConfig>>;
  /** Every task, whether or not the file has a [tasks.<name>] table. */
  readonly tasks: Readonly<Record<TaskName, TaskConfig>>;
  readonly tenancy: TenancyConfig;
  readonly tracing: TracingConfig;
}

