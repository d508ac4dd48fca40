// Test support for this package's specs and the server's security specs (never built, never imported
// from src/): tenancy configs as the
// config loader would resolve them, without a file.
import type { ConfigSnapshot, TenancyConfig, TenantConfig } from "@llm-pool/config";
import { STRATEGIES, TASK_NAMES } from "@llm-pool/config";

export const SECRET_A = "spec-secret-A-0123456789abcdef0123456789";
export const SECRET_B = "spec-secret-B-fedcba9876543210fedcba9876";
export const SECRET_OTHER = "spec-secret-other-tenant-000000000000000";
export const SECRET_OPS = "spec-secret-operator-metrics-00000000000";

/** The env the spec tenants read their secrets from. */
export const specEnv: Record<string, string> = {
  KEY_VVTV_A: SECRET_A,
  KEY_VVTV_B: SECRET_B,
  KEY_OTHER: SECRET_OTHER,
  KEY_OPS: SECRET_OPS,
  KEY_SHORT: "too-short-secret",
};

export function tenantConfig(id: string, overrides: Partial<TenantConfig> = {}): TenantConfig {
  const projects = overrides.projects ?? ["planner", "curator"];
  return {
    id,
    enabled: true,
    projects,
    default_project: projects[0]!,
    keys: [],
    api_keys: [],
    jwt: null,
    rate_rps: 10,
    rate_burst: 20,
    tokens_per_day: 1_000_000,
    max_tokens: 1024,
    max_deadline_ms: 1500,
    max_parallel_providers: 3,
    allowed_tasks: [...TASK_NAMES],
    allowed_strategies: [...STRATEGIES],
    ...overrides,
  };
}

/** Two tenants: "vvtv" with keys A and B, "other" with one key. */
export function tenancyConfig(overrides: Partial<TenancyConfig> = {}, vvtv: Partial<TenantConfig> = {}): TenancyConfig {
  return {
    auth: "hmac",
    allow_unauthenticated: false,
    nonce_store: "memory",
    rate_limit_store: "memory",
    on_store_failure: "refuse",
    redis_url_env: null,
    clock_skew_s: 300,
    nonce_ttl_s: 600,
    tenants: {
      vvtv: tenantConfig("vvtv", {
        keys: [
          { id: "vvtv-a", secret_env: "KEY_VVTV_A", scopes: ["infer"] },
          { id: "vvtv-b", secret_env: "KEY_VVTV_B", scopes: ["infer"] },
        ],
        ...vvtv,
      }),
      other: tenantConfig("other", { projects: ["ops"], keys: [{ id: "other-a", secret_env: "KEY_OTHER", scopes: ["infer"] }] }),
    },
    ...overrides,
  };
}

/** The spec tenancy plus tenant "ops" whose one key, "ops-metrics", holds only the metrics scope (an operator's scraper). */
export function tenancyWithOperator(overrides: Partial<TenancyConfig> = {}, vvtv: Partial<TenantConfig> = {}): TenancyConfig {
  const base = tenancyConfig(overrides, vvtv);
  const ops = tenantConfig("ops", { projects: ["monitoring"], keys: [{ id: "ops-metrics", secret_env: "KEY_OPS", scopes: ["metrics"] }] });
  return { ...base, tenants: { ...base.tenants, ops } };
}

/** A snapshot with only what the security layer reads; `[redis]` has the config's default. */
export function snapshotOf(tenancy: TenancyConfig, server: Partial<ConfigSnapshot["server"]> = {}): ConfigSnapshot {
  return { version: "spec", tenancy, server: { metrics_public: true, ...server }, redis: { command_timeout_ms: 500 } } as unknown as ConfigSnapshot;
}
