import { isAbsolute, resolve } from "node:path";
import type { IssueCollector } from "./issue-collector.js";
import { STRATEGIES, TASK_NAMES } from "./names.js";
import type { ConfigFile } from "./schema/config-file.js";
import type { TenancyConfig, TenantConfig } from "./snapshot.js";

/** Resolves [tenancy]: auth mode rules, per-tenant limits capped by [qos], key ids unique across tenants. */
export function resolveTenancy(file: ConfigFile, baseDir: string, issues: IssueCollector): TenancyConfig {
  const { tenancy, qos } = file;
  if (tenancy.auth === "none" && !tenancy.allow_unauthenticated) {
    issues.add(
      "reference",
      ["tenancy", "auth"],
      'auth = "none" serves anyone who can reach the port; also set allow_unauthenticated = true to mean it',
    );
  }
  if (tenancy.auth !== "none" && tenancy.allow_unauthenticated) {
    issues.add("reference", ["tenancy", "allow_unauthenticated"], 'only applies with auth = "none"');
  }
  if ((tenancy.nonce_store === "redis" || tenancy.rate_limit_store === "redis") && tenancy.redis_url_env === undefined) {
    issues.add("reference", ["tenancy", "redis_url_env"], 'is required when nonce_store or rate_limit_store = "redis"');
  }
  // A nonce must outlive the whole window in which its timestamp is accepted (skew either side).
  if (tenancy.nonce_ttl_s < 2 * tenancy.clock_skew_s) {
    issues.add("reference", ["tenancy", "nonce_ttl_s"], `must be at least twice clock_skew_s (${2 * tenancy.clock_skew_s})`);
  }
  if (tenancy.auth !== "none" && Object.keys(tenancy.tenants).length === 0) {
    issues.add("reference", ["tenancy"], `auth = "${tenancy.auth}" needs at least one [tenancy.tenants.<id>] table`);
  }

  const keyOwners = new Map<string, string>();
  const hashOwners = new Map<string, string>();
  const tenants: Record<string, TenantConfig> = {};
  for (const [id, tenant] of Object.entries(tenancy.tenants)) {
    const path = ["tenancy", "tenants", id];

    const projects = tenant.projects;
    projects.forEach((project, i) => {
      if (projects.indexOf(project) !== i) issues.add("reference", [...path, "projects", i], `"${project}" is listed twice`);
    });
    const defaultProject = tenant.default_project ?? projects[0] ?? "";
    if (tenant.default_project !== undefined && !projects.includes(tenant.default_project)) {
      issues.add("reference", [...path, "default_project"], `"${tenant.default_project}" is not in projects`);
    }

    // HMAC key ids and API key ids share one space: either names the caller in logs and metrics.
    for (const list of ["keys", "api_keys"] as const) {
      tenant[list].forEach((key, i) => {
        const owner = keyOwners.get(key.id);
        if (owner !== undefined) {
          issues.add("reference", [...path, list, i, "id"], `key id "${key.id}" is already used by tenant "${owner}"; key ids identify the tenant`);
        }
        keyOwners.set(key.id, id);
      });
    }
    tenant.api_keys.forEach((key, i) => {
      const owner = hashOwners.get(key.sha256);
      if (owner !== undefined) {
        issues.add("reference", [...path, "api_keys", i, "sha256"], `the same key is already API key "${owner}"; each key names one caller`);
      }
      hashOwners.set(key.sha256, key.id);
    });

    if (tenant.jwt !== undefined && (tenant.jwt.jwks_url === undefined) === (tenant.jwt.jwks_file === undefined)) {
      issues.add("reference", [...path, "jwt"], "needs exactly one of jwks_url and jwks_file");
    }
    // A tenant whose clients only use bearer API keys (an Open WebUI, an editor) needs nothing else.
    const bearerOnly = tenant.api_keys.length > 0;
    const needsKeys = tenancy.auth === "hmac" && !bearerOnly;
    const needsJwt = tenancy.auth === "jwt" && !bearerOnly;
    if (needsKeys && tenant.keys.length === 0) {
      issues.add("reference", [...path, "keys"], 'auth = "hmac" needs at least one key (or API key) per tenant');
    } else if (needsJwt && tenant.jwt === undefined) {
      issues.add("reference", [...path, "jwt"], 'auth = "jwt" needs a [jwt] table (or an API key) per tenant');
    } else if (tenancy.auth === "hmac_or_jwt" && !bearerOnly && tenant.keys.length === 0 && tenant.jwt === undefined) {
      issues.add("reference", path, 'auth = "hmac_or_jwt" needs keys, API keys or a [jwt] table for each tenant');
    }

    if (tenant.max_tokens !== undefined && tenant.max_tokens > qos.max_tokens_cap) {
      issues.add("reference", [...path, "max_tokens"], `must be at most qos.max_tokens_cap (${qos.max_tokens_cap})`);
    }
    if (tenant.max_deadline_ms !== undefined && tenant.max_deadline_ms > qos.max_deadline_ms) {
      issues.add("reference", [...path, "max_deadline_ms"], `must be at most qos.max_deadline_ms (${qos.max_deadline_ms})`);
    }

    const jwt = tenant.jwt;
    tenants[id] = {
      id,
      enabled: tenant.enabled,
      projects,
      default_project: defaultProject,
      keys: tenant.keys.map((key) => ({ id: key.id, secret_env: key.secret_env, scopes: [...new Set(key.scopes)] })),
      api_keys: tenant.api_keys.map((key) => ({ id: key.id, sha256: key.sha256, scopes: [...new Set(key.scopes)] })),
      jwt:
        jwt === undefined
          ? null
          : {
              jwks_url: jwt.jwks_url ?? null,
              jwks_file: jwt.jwks_file === undefined ? null : isAbsolute(jwt.jwks_file) ? jwt.jwks_file : resolve(baseDir, jwt.jwks_file),
              issuer: jwt.issuer,
              audience: typeof jwt.audience === "string" ? [jwt.audience] : jwt.audience,
              algorithms: [...new Set(jwt.algorithms)],
            },
      rate_rps: tenant.rate_rps,
      rate_burst: tenant.rate_burst,
      tokens_per_day: tenant.tokens_per_day,
      max_tokens: Math.min(tenant.max_tokens ?? qos.max_tokens_cap, qos.max_tokens_cap),
      max_deadline_ms: Math.min(tenant.max_deadline_ms ?? qos.max_deadline_ms, qos.max_deadline_ms),
      max_parallel_providers: tenant.max_parallel_providers,
      weight: tenant.weight,
      allowed_tasks: tenant.allowed_tasks ? [...new Set(tenant.allowed_tasks)] : [...TASK_NAMES],
      allowed_strategies: tenant.allowed_strategies ? [...new Set(tenant.allowed_strategies)] : [...STRATEGIES],
    };
  }

  return {
    auth: tenancy.auth,
    allow_unauthenticated: tenancy.allow_unauthenticated,
    nonce_store: tenancy.nonce_store,
    rate_limit_store: tenancy.rate_limit_store,
    redis_url_env: tenancy.redis_url_env ?? null,
    clock_skew_s: tenancy.clock_skew_s,
    on_store_failure: tenancy.on_store_failure,
    nonce_ttl_s: tenancy.nonce_ttl_s,
    tenants,
  };
}
