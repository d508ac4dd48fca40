import { isAbsolute, resolve } from "node:path";
import type { PathSegment } from "./config-path.js";
import type { IssueCollector } from "./issue-collector.js";
import { TASK_NAMES, type TaskName } from "./names.js";
import type { ConfigFile, TaskEntry } from "./schema/config-file.js";
import type { ProfileConfig, ProviderConfig, TaskConfig } from "./snapshot.js";

/** Sampling defaults when neither the task nor a profile says otherwise: low randomness, fixed seed (R-ENS-5). */
export const DEFAULT_TEMPERATURE = 0.2;
export const DEFAULT_SEED = 42;
/** A task's place among one tenant's waiting calls when it does not say: the middle of 0-9. */
export const DEFAULT_TASK_PRIORITY = 5;

interface Context {
  readonly file: ConfigFile;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  readonly baseDir: string;
  readonly issues: IssueCollector;
}

export function resolveProfiles(
  file: ConfigFile,
  providers: ReadonlyMap<string, ProviderConfig>,
  issues: IssueCollector,
): Record<string, ProfileConfig> {
  const out: Record<string, ProfileConfig> = {};
  for (const [name, profile] of Object.entries(file.profiles)) {
    const path = ["profiles", name];
    checkProviderList(profile.providers, [...path, "providers"], providers, issues);
    const weights: Record<string, number> = {};
    for (const [provider, weight] of Object.entries(profile.weights ?? {})) {
      if (!profile.providers.includes(provider)) {
        issues.add("reference", [...path, "weights", provider], `"${provider}" is not in this profile's providers`);
      }
      weights[provider] = weight;
    }
    out[name] = {
      name,
      strategy: profile.strategy,
      providers: profile.providers,
      hedge_after_ms: profile.hedge_after_ms ?? null,
      weights,
    };
  }
  return out;
}

/** Resolves all six tasks, whether or not the file configures them, and checks what they refer to. */
export function resolveTasks(
  file: ConfigFile,
  providers: ReadonlyMap<string, ProviderConfig>,
  profiles: Readonly<Record<string, ProfileConfig>>,
  baseDir: string,
  issues: IssueCollector,
): Record<TaskName, TaskConfig> {
  const context: Context = { file, providers, baseDir, issues };
  return Object.fromEntries(
    TASK_NAMES.map((task) => [task, resolveTask(task, file.tasks[task], profiles, context)]),
  ) as Record<TaskName, TaskConfig>;
}

function resolveTask(
  task: TaskName,
  entry: TaskEntry | undefined,
  profiles: Readonly<Record<string, ProfileConfig>>,
  { file, providers, baseDir, issues }: Context,
): TaskConfig {
  const path: PathSegment[] = ["tasks", task];
  const { qos, ensemble, cache } = file;

  let profile: ProfileConfig | undefined;
  if (entry?.profile !== undefined) {
    profile = profiles[entry.profile];
    if (profile === undefined) {
      const known = Object.keys(profiles);
      const hint = known.length > 0 ? `; defined profiles: ${known.join(", ")}` : "; no [profiles.<name>] tables are defined";
      issues.add("reference", [...path, "profile"], `unknown profile "${entry.profile}"${hint}`);
    }
  }

  const strategy = entry?.strategy ?? profile?.strategy ?? ensemble.default_strategy;

  // Hedge order: the task's own list, else its profile's, else every provider that lists the task.
  let order: readonly string[];
  if (entry?.providers !== undefined) {
    order = entry.providers;
    checkProviderList(order, [...path, "providers"], providers, issues);
    checkServes(order, task, (i) => [...path, "providers", i], providers, issues);
  } else if (profile !== undefined) {
    order = profile.providers;
    order.forEach((name) => {
      const provider = providers.get(name);
      if (provider !== undefined && !provider.tasks.includes(task)) {
        issues.add("reference", [...path, "profile"], `profile "${profile.name}" uses provider "${name}", which does not list task "${task}" in its tasks`);
      }
    });
  } else {
    order = [...providers.values()].filter((p) => p.tasks.includes(task)).map((p) => p.name);
  }

  const fallback = entry?.fallback_providers ?? [];
  checkProviderList(fallback, [...path, "fallback_providers"], providers, issues);
  checkServes(fallback, task, (i) => [...path, "fallback_providers", i], providers, issues);
  fallback.forEach((name, i) => {
    if (order.includes(name)) {
      issues.add("reference", [...path, "fallback_providers", i], `"${name}" is already in this task's providers`);
    }
  });

  const weights: Record<string, number> = {};
  for (const name of [...order, ...fallback]) {
    weights[name] = entry?.weights?.[name] ?? profile?.weights[name] ?? providers.get(name)?.weight ?? 1;
  }
  for (const name of Object.keys(entry?.weights ?? {})) {
    if (!(name in weights)) {
      issues.add("reference", [...path, "weights", name], `"${name}" is not in this task's providers or fallback_providers`);
    }
  }

  const deadline = entry?.deadline_ms ?? qos.default_deadline_ms;
  if (deadline > qos.max_deadline_ms) {
    issues.add("reference", [...path, "deadline_ms"], `must be at most qos.max_deadline_ms (${qos.max_deadline_ms})`);
  }
  const maxTokens = entry?.max_tokens ?? Math.min(qos.default_max_tokens, qos.max_tokens_cap);
  if (maxTokens > qos.max_tokens_cap) {
    issues.add("reference", [...path, "max_tokens"], `must be at most qos.max_tokens_cap (${qos.max_tokens_cap})`);
  }

  const hedge = entry?.hedge_after_ms ?? profile?.hedge_after_ms ?? qos.hedge_after_ms;
  const hedgeIsOwn = entry?.hedge_after_ms !== undefined || profile?.hedge_after_ms != null;
  // Only FASTEST hedges; when both numbers come from [qos], the [qos] check reports it once.
  if (strategy === "FASTEST" && order.length > 1 && hedge >= deadline && (hedgeIsOwn || entry?.deadline_ms !== undefined)) {
    const [where, origin] =
      entry?.hedge_after_ms !== undefined
        ? [[...path, "hedge_after_ms"], ""]
        : profile?.hedge_after_ms != null
          ? [[...path, "profile"], ` (hedge_after_ms ${hedge} from profile "${profile.name}")`]
          : [[...path, "deadline_ms"], ` (hedge_after_ms ${hedge} from [qos])`];
    issues.add("reference", where, `hedging after ${hedge} ms never happens within a ${deadline} ms deadline${origin}`);
  }

  const output = entry?.output ?? "text";
  if (output === "json_schema" && entry?.schema_file === undefined) {
    issues.add("reference", [...path, "schema_file"], 'is required when output = "json_schema"');
  }
  if (output !== "json_schema" && entry?.schema_file !== undefined) {
    issues.add("reference", [...path, "schema_file"], 'is only used with output = "json_schema"');
  }

  // A task nobody serves and nobody configured is switched off rather than failing the whole file.
  const enabled = (entry?.enabled ?? true) && (entry !== undefined || order.length > 0);
  if (enabled && order.length === 0) {
    issues.add("reference", path, "no provider lists this task; name providers here, list the task in a provider's tasks, or set enabled = false");
  } else if (enabled && strategy !== "FASTEST" && order.length < ensemble.min_candidates) {
    const where = entry?.providers !== undefined ? "providers" : entry?.strategy !== undefined ? "strategy" : entry?.profile !== undefined ? "profile" : undefined;
    issues.add(
      "reference",
      where === undefined ? path : [...path, where],
      `${strategy} needs at least ${ensemble.min_candidates} providers (ensemble.min_candidates) but this task has ${order.length}`,
    );
  }

  return {
    name: task,
    enabled,
    profile: profile?.name ?? null,
    strategy,
    providers: order,
    fallback_providers: fallback,
    weights,
    deadline_ms: deadline,
    max_tokens: maxTokens,
    hedge_after_ms: hedge,
    cache_ttl_ms: entry?.cache_ttl_ms ?? cache.default_ttl_ms,
    priority: entry?.priority ?? DEFAULT_TASK_PRIORITY,
    temperature: entry?.temperature ?? DEFAULT_TEMPERATURE,
    seed: entry?.seed ?? DEFAULT_SEED,
    output,
    prompt_file: absolute(baseDir, entry?.prompt_file),
    prompt: null,
    schema_file: absolute(baseDir, entry?.schema_file),
    schema: null,
  };
}

function checkProviderList(
  names: readonly string[],
  path: PathSegment[],
  providers: ReadonlyMap<string, ProviderConfig>,
  issues: IssueCollector,
): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (!providers.has(name)) {
      issues.add("reference", [...path, i], `unknown provider "${name}"; defined providers: ${[...providers.keys()].join(", ")}`);
    } else if (seen.has(name)) {
      issues.add("reference", [...path, i], `"${name}" is listed twice`);
    }
    seen.add(name);
  });
}

function checkServes(
  names: readonly string[],
  task: TaskName,
  pathOf: (index: number) => PathSegment[],
  providers: ReadonlyMap<string, ProviderConfig>,
  issues: IssueCollector,
): void {
  names.forEach((name, i) => {
    const provider = providers.get(name);
    if (provider !== undefined && !provider.tasks.includes(task)) {
      issues.add("reference", pathOf(i), `provider "${name}" does not list task "${task}" in its tasks`);
    }
  });
}

function absolute(baseDir: string, file: string | undefined): string | null {
  if (file === undefined) return null;
  return isAbsolute(file) ? file : resolve(baseDir, file);
}
