import * as z from "zod";
import { AUTH_MODES, JWT_ALGORITHMS, SCOPES, STORE_DRIVERS, STRATEGIES, TASK_NAMES } from "../names.js";
import { NAME_PATTERN, envName, filePath, intIn, name, numberIn } from "./common.js";

// A key is a public id plus the *name* of the env var that holds its secret. Two keys per tenant
// allow rotation (R-SEC-1): add B, move clients to B, then drop A.
const keySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, { error: "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'" }),
  secret_env: envName(),
  // An operator key for /metrics is ["metrics"]; a tenant's keys call the pool (["infer"]).
  scopes: z.array(z.enum(SCOPES)).min(1).default(["infer"]),
});

// A bearer API key (R-API-7), for clients that cannot sign (OpenAI and Ollama clients): only the
// SHA-256 of the key is in the config, so the file never holds a usable credential. Two per tenant,
// rotated like the HMAC keys.
const apiKeySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, { error: "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'" }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "must be the key's SHA-256 as 64 lowercase hex digits" }),
  scopes: z.array(z.enum(SCOPES)).min(1).default(["infer"]),
});

function isJwksUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
    return url.protocol === "https:" || (url.protocol === "http:" && loopback);
  } catch {
    return false;
  }
}

const jwtSchema = z.strictObject({
  jwks_url: z.string().refine(isJwksUrl, { error: "must be an https URL (plain http only for localhost)" }).optional(),
  jwks_file: filePath().optional(),
  issuer: z.string().min(1),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: "must be a string or a list of strings",
  }),
  algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).default(["RS256", "ES256"]),
});

export const tenantSchema = z.strictObject({
  projects: z.array(name()).min(1, { error: "must list at least one project" }),
  default_project: name().optional(),
  enabled: z.boolean().default(true),
  keys: z.array(keySchema).max(2, { error: "at most 2 keys (A and B, for rotation)" }).default([]),
  api_keys: z.array(apiKeySchema).max(2, { error: "at most 2 API keys (A and B, for rotation)" }).default([]),
  jwt: jwtSchema.optional(),
  rate_rps: numberIn(0.01, 100_000).default(10),
  rate_burst: intIn(1, 1_000_000).default(20),
  tokens_per_day: intIn(1, 10_000_000_000).default(1_000_000),
  max_tokens: intIn(1, 32_768).optional(),
  max_deadline_ms: intIn(1, 120_000).optional(),
  max_parallel_providers: intIn(1, 16).default(3),
  // The tenant's share of a saturated engine, relative to the others (R-QOS-5); unauthenticated calls weigh 1.
  weight: numberIn(0.01, 1000).default(1),
  allowed_tasks: z.array(z.enum(TASK_NAMES)).optional(),
  allowed_strategies: z.array(z.enum(STRATEGIES)).optional(),
});

export const tenancySchema = z.strictObject({
  auth: z.enum(AUTH_MODES).default("hmac"),
  allow_unauthenticated: z.boolean().default(false),
  nonce_store: z.enum(STORE_DRIVERS).default("memory"),
  rate_limit_store: z.enum(STORE_DRIVERS).default("memory"),
  redis_url_env: envName().optional(),
  clock_skew_s: intIn(1, 3600).default(300),
  // Redis down or hung: "refuse" answers 503 at once, "local" falls back to per-process memory.
  on_store_failure: z.enum(["refuse", "local"]).default("refuse"),
  nonce_ttl_s: intIn(1, 86_400).default(600),
  tenants: z
    .record(z.string().regex(NAME_PATTERN, { error: "tenant ids are 1-64 characters of a-z, 0-9, '.', '_' or '-'" }), tenantSchema)
    .default({}),
});
