import type { TestCerts } from "./test-certs.js";

/** The tenant the e2e configs define, and the variables its key and Redis URL are read from. */
export const TENANT = "vvtv";
export const KEY_ID = "vvtv-a";
export const KEY_ENV = "LLMPOOL_KEY_VVTV_A";
export const REDIS_URL_ENV = "LLMPOOL_REDIS_URL";
/** The tenant's second key slot, for rotation: its variable is set, the config lists only key A. */
export const KEY_B = { keyId: "vvtv-b", keyEnv: "LLMPOOL_KEY_VVTV_B" } as const;
/** An operator's key that may only read /metrics (scope "metrics"), in its own tenant. */
export const METRICS_KEY = { tenant: "ops", keyId: "ops-metrics", keyEnv: "LLMPOOL_KEY_OPS_METRICS" } as const;
/** A second tenant with its own (small) limit, so a test can spend it without starving the first. */
export const METERED = { tenant: "metered", keyId: "metered-a", keyEnv: "LLMPOOL_KEY_METERED_A" } as const;

export interface PoolConfigOptions {
  readonly engineUrl: string;
  readonly certs: TestCerts;
  /** Nonces, rate limits, daily tokens, the answer cache and idempotency on the Redis in $LLMPOOL_REDIS_URL. */
  readonly redis?: boolean;
  readonly rateRps?: number;
  readonly rateBurst?: number;
  readonly shutdownGraceMs?: number;
  /** The metered tenant's limit (default: 10 requests, refilled at one per 100 s). */
  readonly meteredBurst?: number;
  /** `[server] metrics_public` (default true); false puts /metrics behind the metrics scope. */
  readonly metricsPublic?: boolean;
  /** TOML appended at the end (new tables only). */
  readonly extraToml?: string;
}

const toml = (value: string) => JSON.stringify(value);

/**
 * A pool behind the gateway: TLS with a required client certificate signed by the mesh CA (only the
 * gateway has one), HMAC auth for one tenant, one FASTEST provider on the mock engine's `fast:1b`.
 */
export function poolConfig(options: PoolConfigOptions): string {
  const { certs } = options;
  const store = options.redis ? "redis" : "memory";
  const redisUrl = options.redis ? `redis_url_env = ${toml(REDIS_URL_ENV)}\n` : "";
  return `[server]
listen = "127.0.0.1:0"
shutdown_grace_ms = ${options.shutdownGraceMs ?? 5000}
metrics_public = ${options.metricsPublic ?? true}

[server.tls]
cert_file = ${toml(certs.pool.cert)}
key_file = ${toml(certs.pool.key)}
client_ca_file = ${toml(certs.meshCa)}
require_client_cert = true

[qos]
max_deadline_ms = 5000
default_deadline_ms = 4000
max_tokens_cap = 256
default_max_tokens = 32
hedge_after_ms = 2500

[cache]
enabled = true
driver = "${store}"
${redisUrl}
[[providers]]
name = "fast"
driver = "ollama"
base_url = ${toml(options.engineUrl)}
model = "fast:1b"
engine = "mock"
max_concurrency = 32

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["fast"]
output = "text"

[tenancy]
auth = "hmac"
nonce_store = "${store}"
rate_limit_store = "${store}"
${redisUrl}
[tenancy.tenants.${TENANT}]
projects = ["planner"]
keys = [{ id = ${toml(KEY_ID)}, secret_env = ${toml(KEY_ENV)} }]
rate_rps = ${options.rateRps ?? 1000}
rate_burst = ${options.rateBurst ?? 1000}

[tenancy.tenants.${METERED.tenant}]
projects = ["batch"]
keys = [{ id = ${toml(METERED.keyId)}, secret_env = ${toml(METERED.keyEnv)} }]
rate_rps = 0.01
rate_burst = ${options.meteredBurst ?? 10}

[tenancy.tenants.${METRICS_KEY.tenant}]
projects = ["monitoring"]
keys = [{ id = ${toml(METRICS_KEY.keyId)}, secret_env = ${toml(METRICS_KEY.keyEnv)}, scopes = ["metrics"] }]
${options.extraToml ?? ""}`;
}
