import { isAbsolute, resolve } from "node:path";
import type { IssueCollector } from "./issue-collector.js";
import { resolveProviders } from "./resolve-providers.js";
import { resolveProfiles, resolveTasks } from "./resolve-tasks.js";
import { resolveTenancy } from "./resolve-tenancy.js";
import type { ConfigFile } from "./schema/config-file.js";
import { parseListen } from "./schema/server.js";
import type { ConfigSnapshot, ProviderConfig, ServerConfig } from "./snapshot.js";

/** Everything in the snapshot except what comes from reading other files (prompts, schemas). */
export type ResolvedConfig = Omit<ConfigSnapshot, "version" | "path">;

/**
 * Turns the schema-valid file into resolved values and reports every check that spans fields:
 * limits that must nest (default <= max), names that must exist, modes that need a companion field.
 */
export function resolveConfig(file: ConfigFile, baseDir: string, issues: IssueCollector): ResolvedConfig {
  checkQos(file, issues);
  const server = resolveServer(file, baseDir, issues);

  const { providers, engines } = resolveProviders(file.providers, baseDir, issues);
  const byName = new Map<string, ProviderConfig>();
  for (const provider of providers) if (!byName.has(provider.name)) byName.set(provider.name, provider);

  const profiles = resolveProfiles(file, byName, issues);
  const tasks = resolveTasks(file, byName, profiles, baseDir, issues);

  const judgeProvider = file.judge.provider;
  if (judgeProvider !== undefined && !byName.has(judgeProvider)) {
    issues.add("reference", ["judge", "provider"], `unknown provider "${judgeProvider}"; defined providers: ${[...byName.keys()].join(", ")}`);
  }
  const judging = Object.values(tasks).find((task) => task.enabled && task.strategy === "JUDGE");
  if (judgeProvider === undefined && judging !== undefined) {
    issues.add("reference", ["judge", "provider"], `is required: task "${judging.name}" uses the JUDGE strategy`);
  }
  if (file.judge.max_tokens > file.qos.max_tokens_cap) {
    issues.add("reference", ["judge", "max_tokens"], `must be at most qos.max_tokens_cap (${file.qos.max_tokens_cap})`);
  }

  if (file.ensemble.win_rate_store === "redis" && file.ensemble.win_rate_redis_url_env === undefined) {
    issues.add("reference", ["ensemble", "win_rate_redis_url_env"], 'is required when win_rate_store = "redis"');
  }
  if (file.cache.driver === "redis" && file.cache.redis_url_env === undefined) {
    issues.add("reference", ["cache", "redis_url_env"], 'is required when driver = "redis"');
  }
  if (file.breaker.max_open_ms < file.breaker.open_ms) {
    issues.add("reference", ["breaker", "max_open_ms"], `must be at least open_ms (${file.breaker.open_ms})`);
  }
  if (file.breaker.min_calls > file.breaker.window_size) {
    issues.add("reference", ["breaker", "min_calls"], `must be at most window_size (${file.breaker.window_size})`);
  }

  return {
    server,
    qos: file.qos,
    ensemble: { ...file.ensemble, win_rate_redis_url_env: file.ensemble.win_rate_redis_url_env ?? null },
    breaker: file.breaker,
    cache: { ...file.cache, redis_url_env: file.cache.redis_url_env ?? null },
    redis: file.redis,
    judge: { provider: judgeProvider ?? null, max_tokens: file.judge.max_tokens, fallback: file.judge.fallback },
    providers,
    engines,
    profiles,
    tasks,
    tenancy: resolveTenancy(file, baseDir, issues),
    tracing: file.tracing,
  };
}

function checkQos({ qos }: ConfigFile, issues: IssueCollector): void {
  if (qos.default_deadline_ms > qos.max_deadline_ms) {
    issues.add("reference", ["qos", "default_deadline_ms"], `must be at most max_deadline_ms (${qos.max_deadline_ms})`);
  }
  if (qos.default_max_tokens > qos.max_tokens_cap) {
    issues.add("reference", ["qos", "default_max_tokens"], `must be at most max_tokens_cap (${qos.max_tokens_cap})`);
  }
  if (qos.hedge_after_ms >= qos.default_deadline_ms) {
    issues.add("reference", ["qos", "hedge_after_ms"], `must be less than default_deadline_ms (${qos.default_deadline_ms})`);
  }
  if (qos.deadline_margin_ms >= qos.default_deadline_ms) {
    issues.add("reference", ["qos", "deadline_margin_ms"], `must be less than default_deadline_ms (${qos.default_deadline_ms})`);
  }
}

function resolveServer({ server, qos }: ConfigFile, baseDir: string, issues: IssueCollector): ServerConfig {
  // A request must be allowed to live as long as the longest deadline a client may ask for.
  if (server.request_timeout_ms < qos.max_deadline_ms) {
    issues.add("reference", ["server", "request_timeout_ms"], `must be at least qos.max_deadline_ms (${qos.max_deadline_ms})`);
  }
  // Otherwise the prompt limit could never be reached and clients would see the wrong error.
  if (server.max_body_bytes < qos.max_prompt_bytes) {
    issues.add("reference", ["server", "max_body_bytes"], `must be at least qos.max_prompt_bytes (${qos.max_prompt_bytes})`);
  }
  const tls = server.tls;
  if (tls?.require_client_cert && tls.client_ca_file === undefined) {
    issues.add("reference", ["server", "tls", "client_ca_file"], "is required when require_client_cert = true");
  }
  const address = parseListen(server.listen) ?? { host: "127.0.0.1", port: 7070 };
  const ollama = server.ollama_listen === undefined ? null : (parseListen(server.ollama_listen) ?? null);
  if (ollama && ollama.port !== 0 && ollama.port === address.port) {
    issues.add("reference", ["server", "ollama_listen"], `must be another port than listen (${server.listen})`);
  }
  const file = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    ...server,
    host: address.host,
    port: address.port,
    ollama_listen: server.ollama_listen ?? null,
    ollama,
    tls:
      tls === undefined
        ? null
        : {
            cert_file: file(tls.cert_file),
            key_file: file(tls.key_file),
            client_ca_file: tls.client_ca_file === undefined ? null : file(tls.client_ca_file),
            require_client_cert: tls.require_client_cert,
          },
  };
}
