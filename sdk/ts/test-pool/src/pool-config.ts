import { join } from "node:path";

/** Task name -> the provider that serves it. `site_tactics` runs on the slow model, for deadline tests. */
export const TASK_PROVIDERS = {
  expand_queries: "fast",
  site_tactics: "slow",
  rerank_candidates: "fast",
  judge: "fast",
  recovery_plan: "fast",
  enrich_metadata: "fast",
} as const;

/** Milliseconds the slow model takes: far above any deadline a test asks for. */
export const SLOW_MODEL_MS = 3000;

export interface PoolConfigInput {
  readonly engineUrl: string;
  readonly promptsDir: string;
  readonly jwksFile: string;
  readonly issuer: string;
  /** Serve TLS with these PEM files instead of cleartext. */
  readonly tls?: TestPoolTls;
  /** `[server] cors_allowed_origins`: origins whose browser pages may call the pool. */
  readonly corsAllowedOrigins?: readonly string[];
}

/**
 * The listener's TLS: the pool's certificate and key and the CA that signed them (the readiness
 * probe trusts it); with `clientCaFile`, clients must present a certificate that CA signed (mTLS,
 * `require_client_cert = true`), and the probe presents `clientCertFile`.
 */
export interface TestPoolTls {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly clientCaFile?: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
}

/** Environment variables the config names; their values are the secrets. */
export const SECRET_ENV = { vvtvA: "SDK_TEST_KEY_VVTV_A", vvtvB: "SDK_TEST_KEY_VVTV_B", tight: "SDK_TEST_KEY_TIGHT" } as const;

/**
 * The pool the SDK suites meet: every task on the real prompt and schema files, HMAC keys and a
 * JWT issuer for the `vvtv` tenant, and a `tight` tenant allowed one request per second (so a
 * second request is a 429 with `Retry-After: 1`).
 */
export function poolToml(input: PoolConfigInput): string {
  const tasks = Object.entries(TASK_PROVIDERS)
    .map(
      ([task, provider]) => `
[tasks.${task}]
strategy = "FASTEST"
providers = ["${provider}"]
max_tokens = 128
temperature = 0.0
output = "json_schema"
prompt_file = ${JSON.stringify(join(input.promptsDir, `${task}.md`))}
schema_file = ${JSON.stringify(join(input.promptsDir, "schemas", `${task}.json`))}
`,
    )
    .join("");
  return `
[server]
listen = "127.0.0.1:0"
shutdown_grace_ms = 2000
${input.corsAllowedOrigins ? `cors_allowed_origins = ${JSON.stringify(input.corsAllowedOrigins)}\n` : ""}${tlsTable(input.tls)}
[qos]
max_deadline_ms = 5000
default_deadline_ms = 4000
max_tokens_cap = 256
default_max_tokens = 128
hedge_after_ms = 2500

# Off so every query reaches the engine and a test can count engine calls; request_id
# idempotency works without it.
[cache]
enabled = false

[[providers]]
name = "fast"
driver = "ollama"
base_url = "${input.engineUrl}"
model = "fast:1b"
engine = "mock"
max_concurrency = 4

[[providers]]
name = "slow"
driver = "ollama"
base_url = "${input.engineUrl}"
model = "slow:1b"
engine = "mock"
max_concurrency = 4
${tasks}
[tenancy]
auth = "hmac_or_jwt"
nonce_store = "memory"
rate_limit_store = "memory"

[tenancy.tenants.vvtv]
projects = ["planner", "curator", "autopilot"]
default_project = "planner"
keys = [
  { id = "vvtv-a", secret_env = "${SECRET_ENV.vvtvA}" },
  { id = "vvtv-b", secret_env = "${SECRET_ENV.vvtvB}" },
]
rate_rps = 1000
rate_burst = 1000

[tenancy.tenants.vvtv.jwt]
jwks_file = ${JSON.stringify(input.jwksFile)}
issuer = "${input.issuer}"
audience = "llm-pool"
algorithms = ["ES256"]

[tenancy.tenants.tight]
projects = ["probe"]
keys = [{ id = "tight-a", secret_env = "${SECRET_ENV.tight}" }]
rate_rps = 1
rate_burst = 1
`;
}

function tlsTable(tls: TestPoolTls | undefined): string {
  if (!tls) return "";
  const clientCa = tls.clientCaFile ? `client_ca_file = ${JSON.stringify(tls.clientCaFile)}\nrequire_client_cert = true\n` : "";
  return `\n[server.tls]\ncert_file = ${JSON.stringify(tls.certFile)}\nkey_file = ${JSON.stringify(tls.keyFile)}\n${clientCa}`;
}
