// The closed vocabularies of the config file. The proto has its own enums; these are the spellings
// operators write in llm-pool.toml, and the server maps them once at the edge.

export const TASK_NAMES = [
  "expand_queries",
  "site_tactics",
  "rerank_candidates",
  "judge",
  "recovery_plan",
  "enrich_metadata",
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export const STRATEGIES = ["FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const PROVIDER_DRIVERS = ["ollama", "openai", "http", "embedded"] as const;
export type ProviderDriver = (typeof PROVIDER_DRIVERS)[number];

export const OUTPUT_FORMATS = ["text", "json", "json_schema"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const AUTH_MODES = ["hmac", "jwt", "hmac_or_jwt", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/**
 * What a credential may do: "infer" calls Infer, InferStream and Health (and POST /v1/infer);
 * "metrics" reads GET /metrics when metrics_public = false.
 */
export const SCOPES = ["infer", "metrics"] as const;
export type Scope = (typeof SCOPES)[number];

export const STORE_DRIVERS = ["memory", "redis"] as const;
export type StoreDriver = (typeof STORE_DRIVERS)[number];

/** Asymmetric algorithms only: a JWKS publishes public keys, so HS* (shared secrets) and "none" are refused. */
export const JWT_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export function isTaskName(value: string): value is TaskName {
  return (TASK_NAMES as readonly string[]).includes(value);
}
