import type { PathSegment } from "./config-path.js";
import type { IssueCollector } from "./issue-collector.js";
import type { ResolvedConfig } from "./resolve-config.js";
import { envReferences } from "./schema/providers.js";

/** The environment a config is checked against: process.env by default, a plain object in tests. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

interface EnvReference {
  readonly path: PathSegment[];
  readonly name: string;
  /** For secrets: the least number of bytes the value must hold. */
  readonly minBytes?: number;
}

/**
 * Every env var the running pool will read, with the field that names it. Only references that are
 * in use count: the Redis URL when a Redis store is chosen, key secrets of enabled tenants.
 */
export function envReferencesOf(config: ResolvedConfig): EnvReference[] {
  const refs: EnvReference[] = [];
  config.providers.forEach((provider, i) => {
    if ((provider.driver === "openai" || provider.driver === "http") && provider.api_key_env !== null) {
      refs.push({ path: ["providers", i, "api_key_env"], name: provider.api_key_env });
    }
    if (provider.driver === "http") {
      for (const [header, value] of Object.entries(provider.headers)) {
        for (const name of envReferences(value)) refs.push({ path: ["providers", i, "headers", header], name });
      }
    }
  });
  if (config.ensemble.win_rate_store === "redis" && config.ensemble.win_rate_redis_url_env !== null) {
    refs.push({ path: ["ensemble", "win_rate_redis_url_env"], name: config.ensemble.win_rate_redis_url_env });
  }
  if (config.cache.driver === "redis" && config.cache.redis_url_env !== null) {
    refs.push({ path: ["cache", "redis_url_env"], name: config.cache.redis_url_env });
  }
  const { tenancy } = config;
  if ((tenancy.nonce_store === "redis" || tenancy.rate_limit_store === "redis") && tenancy.redis_url_env !== null) {
    refs.push({ path: ["tenancy", "redis_url_env"], name: tenancy.redis_url_env });
  }
  for (const tenant of Object.values(tenancy.tenants)) {
    if (!tenant.enabled) continue;
    tenant.keys.forEach((key, i) => {
      refs.push({
        path: ["tenancy", "tenants", tenant.id, "keys", i, "secret_env"],
        name: key.secret_env,
        minBytes: MIN_SECRET_BYTES,
      });
    });
  }
  return refs;
}

/** HMAC secrets shorter than this are refused (R-SEC-1): 256 bits. */
export const MIN_SECRET_BYTES = 32;

/**
 * Reports each referenced env var that is unset or empty, and each signing
 * secret shorter than MIN_SECRET_BYTES. Values are never logged or kept.
 */
export function checkEnvReferences(config: ResolvedConfig, env: ConfigEnv, issues: IssueCollector): void {
  for (const ref of envReferencesOf(config)) {
    const value = env[ref.name];
    if (value === undefined || value === "") {
      issues.add("env", ref.path, `environment variable ${ref.name} is not set`);
    } else if (ref.minBytes !== undefined && Buffer.byteLength(value) < ref.minBytes) {
      issues.add("env", ref.path, `environment variable ${ref.name} holds a secret shorter than ${ref.minBytes} bytes`);
    }
  }
}
