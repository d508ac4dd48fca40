import type { ConfigSnapshot } from "@llm-pool/config";
import { Code, PoolError, TASK_NAMES, type Identity, type StrategyName, type TaskName } from "@llm-pool/core";

/** The prefix of every model name the compatible doors serve: "pool/expand_queries", "pool/FAST-LOW". */
export const MODEL_PREFIX = "pool/";

/** One model as OpenAI and Ollama clients see it: a task of the pool, or a profile run on a task that uses it. */
export interface PoolModel {
  /** "pool/<task>" or "pool/<PROFILE>". */
  readonly id: string;
  readonly task: TaskName;
  /** A profile's strategy; absent for a task, which keeps its own. */
  readonly strategy?: StrategyName;
  /** The profile it stands for, when it is one. */
  readonly profile?: string;
}

/**
 * The models the OpenAI- and Ollama-compatible doors list and accept (R-API-7).
 * A Query always names a task (its instruction, output schema and providers
 * come from it), so every model resolves to one: "pool/<task>" is the task as
 * configured; "pool/<PROFILE>" is the first enabled task, in the pool's task
 * order, whose config uses that profile, run with the profile's strategy.
 * Disabled tasks, tasks the caller's tenant may not use, and profiles no
 * usable task uses are not models. An Ollama-style ":latest" tag is ignored.
 */
export interface ModelCatalog {
  list(identity: Identity | undefined): readonly PoolModel[];
  /** The model `name` names, or NotFound naming `field`. */
  resolve(name: string, identity: Identity | undefined, field?: string): PoolModel;
}

export function modelCatalog(config: () => ConfigSnapshot): ModelCatalog {
  const list = (identity: Identity | undefined): PoolModel[] => {
    const snapshot = config();
    const allowed = identity ? snapshot.tenancy.tenants[identity.tenantId]?.allowed_tasks : undefined;
    const usable = TASK_NAMES.filter((task) => snapshot.tasks[task].enabled && (!allowed || allowed.includes(task)));
    const models: PoolModel[] = usable.map((task) => ({ id: `${MODEL_PREFIX}${task}`, task }));
    for (const profile of Object.values(snapshot.profiles)) {
      const task = usable.find((name) => snapshot.tasks[name].profile === profile.name);
      if (task) models.push({ id: `${MODEL_PREFIX}${profile.name}`, task, strategy: profile.strategy, profile: profile.name });
    }
    return models;
  };
  return {
    list,
    resolve(name, identity, field = "model") {
      const wanted = name.endsWith(":latest") ? name.slice(0, -":latest".length) : name;
      const found = list(identity).find((model) => model.id === wanted);
      if (found) return found;
      throw new PoolError(Code.NotFound, `model ${JSON.stringify(name.slice(0, 80))} is not served here; the model list names every model`, { field });
    },
  };
}
