import type { ConfigSnapshot } from "./snapshot.js";

type Section = "server" | "qos" | "ensemble" | "cache" | "redis" | "tenancy" | "tracing";
/** "section.field" of a snapshot field, checked by the compiler. */
export type ConfigFieldPath = { [S in Section]: `${S}.${Extract<keyof ConfigSnapshot[S], string>}` }[Section];

/**
 * The fields the pool reads once, at start (R-CFG-2): each sizes or opens
 * something that lives as long as the process — the listening socket and
 * its limits, the hedge budget, the stores with their Redis clients and
 * histories, the tracer. A reload validates and keeps a change to them,
 * and the change takes effect at the next restart; every other field applies to the
 * requests that start after the reload. docs/CONFIG.md ("Fields that need a
 * restart") lists the same fields, and a test holds the two lists equal:
 * a field read at start goes here and there, or it is made reloadable.
 */
export const RESTART_ONLY_FIELDS: readonly ConfigFieldPath[] = [
  // The listener: bound once, its limits passed to Node's servers when they are created.
  "server.listen",
  "server.tls",
  "server.max_body_bytes",
  "server.max_header_bytes",
  "server.header_timeout_ms",
  "server.request_timeout_ms",
  "server.idle_timeout_ms",
  "server.max_connections",
  "server.max_streams_per_connection",
  "server.max_in_flight",
  // The compatible doors: their routes are registered, and the Ollama door's port bound, once.
  "server.openai_compatible",
  "server.ollama_listen",
  // The hedge budget's bucket is sized once.
  "qos.hedge_budget_share",
  // The win-rate store holds the history its half-life decays.
  "ensemble.win_rate_store",
  "ensemble.win_rate_redis_url_env",
  "ensemble.win_rate_half_life_ms",
  // The cache and idempotency stores, their memory bounds and their Redis client.
  "cache.driver",
  "cache.max_entries",
  "cache.max_bytes",
  "cache.redis_url_env",
  "cache.idempotency_on_store_failure",
  // The security stores and their Redis client.
  "tenancy.nonce_store",
  "tenancy.rate_limit_store",
  "tenancy.redis_url_env",
  "tenancy.on_store_failure",
  // Every Redis client is built once.
  "redis.command_timeout_ms",
  // The tracer and its exporter are built once.
  "tracing.enabled",
  "tracing.otlp_endpoint",
  "tracing.service_name",
  "tracing.sample_ratio",
  "tracing.include_prompts",
];

/**
 * The restart-only fields whose value differs between the snapshot the
 * process started with and a newer one, in the order of RESTART_ONLY_FIELDS:
 * what a reload has stored but the process does not use until a restart.
 */
export function restartOnlyChanges(running: ConfigSnapshot, next: ConfigSnapshot): ConfigFieldPath[] {
  return RESTART_ONLY_FIELDS.filter((path) => JSON.stringify(valueAt(running, path)) !== JSON.stringify(valueAt(next, path)));
}

function valueAt(snapshot: ConfigSnapshot, path: ConfigFieldPath): unknown {
  const [section, field] = path.split(".") as [Section, string];
  return (snapshot[section] as unknown as Record<string, unknown>)[field];
}
