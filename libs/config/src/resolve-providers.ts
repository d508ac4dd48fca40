import { isAbsolute, resolve } from "node:path";
import type { IssueCollector } from "./issue-collector.js";
import { TASK_NAMES } from "./names.js";
import type { ProviderEntry } from "./schema/config-file.js";
import type { EngineConfig, ProviderConfig } from "./snapshot.js";

// An Ollama on one Mac mini serves few requests at once (R-PRV-6): its OLLAMA_NUM_PARALLEL is not
// exposed by its API, so 2 fits the small machine; the adaptive limit learns lower if the engine
// queues behind fewer slots, and max_concurrency should be raised to the engine's own setting.
// Servers built for batching (vLLM and other OpenAI-compatible ones) take more.
const DEFAULT_CONCURRENCY = { ollama: 2, openai: 4, http: 4, embedded: 1 } as const; // embedded runs one generation at a time

export interface ResolvedProviders {
  readonly providers: ProviderConfig[];
  readonly engines: EngineConfig[];
}

/**
 * Fills provider defaults and groups providers into engines. Providers that share an engine share
 * its `max_concurrency`: it may be written on one of them or on all, but never with two values.
 */
export function resolveProviders(entries: readonly ProviderEntry[], baseDir: string, issues: IssueCollector): ResolvedProviders {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const first = seen.get(entry.name);
    if (first !== undefined) {
      issues.add("reference", ["providers", index, "name"], `duplicate provider name "${entry.name}" (also providers[${first}])`);
    } else {
      seen.set(entry.name, index);
    }
  });

  const engines = new Map<string, { limit?: number; limitFrom?: number; driver: ProviderEntry["driver"]; providers: string[] }>();
  entries.forEach((entry, index) => {
    const engineName = engineOf(entry);
    const engine = engines.get(engineName) ?? { driver: entry.driver, providers: [] };
    engine.providers.push(entry.name);
    if (entry.max_concurrency !== undefined) {
      if (engine.limit !== undefined && engine.limit !== entry.max_concurrency) {
        issues.add(
          "reference",
          ["providers", index, "max_concurrency"],
          `engine "${engineName}" already has max_concurrency ${engine.limit} (from providers[${engine.limitFrom}]); providers of one engine share one limit`,
        );
      } else if (engine.limit === undefined) {
        engine.limit = entry.max_concurrency;
        engine.limitFrom = index;
      }
    }
    engines.set(engineName, engine);
  });

  const engineList: EngineConfig[] = [...engines].map(([name, engine]) => ({
    name,
    max_concurrency: engine.limit ?? DEFAULT_CONCURRENCY[engine.driver],
    providers: engine.providers,
  }));
  const limits = new Map(engineList.map((engine) => [engine.name, engine.max_concurrency]));

  const providers = entries.map((entry): ProviderConfig => {
    const engine = engineOf(entry);
    const base = {
      name: entry.name,
      model: entry.model,
      engine,
      max_concurrency: limits.get(engine) ?? 1,
      // A provider that lists no tasks is a generalist and serves them all.
      tasks: entry.tasks ? [...new Set(entry.tasks)] : [...TASK_NAMES],
      weight: entry.weight,
      timeout_ms: entry.timeout_ms ?? null,
    };
    switch (entry.driver) {
      case "ollama":
        return { ...base, driver: "ollama", base_url: entry.base_url, keep_alive: entry.keep_alive, endpoint: entry.endpoint };
      case "openai":
        return { ...base, driver: "openai", base_url: entry.base_url, api_key_env: entry.api_key_env ?? null, endpoint: entry.endpoint };
      case "http":
        return {
          ...base,
          driver: "http",
          base_url: entry.base_url,
          api_key_env: entry.api_key_env ?? null,
          method: entry.method,
          path: entry.path,
          headers: entry.headers,
          body_template: entry.body_template,
          text_path: entry.text_path,
          prompt_tokens_path: entry.prompt_tokens_path ?? null,
          completion_tokens_path: entry.completion_tokens_path ?? null,
          health_path: entry.health_path ?? null,
        };
      case "embedded":
        return {
          ...base,
          driver: "embedded",
          model_path: isAbsolute(entry.model_path) ? entry.model_path : resolve(baseDir, entry.model_path),
          threads: entry.threads,
          repeat_penalty: entry.repeat_penalty,
          context_size: entry.context_size,
        };
    }
  });
  return { providers, engines: engineList };
}

/** Network providers default to one engine per base URL; an embedded model is its own engine. */
function engineOf(entry: ProviderEntry): string {
  if (entry.engine !== undefined) return entry.engine;
  if (entry.driver === "embedded") return `embedded:${entry.name}`;
  // "http://host:11434" and "http://host:11434/" are the same engine.
  return entry.base_url.replace(/\/+$/, "");
}
