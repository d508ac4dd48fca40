import { deepFreeze } from "./deep-freeze.js";
import { ensembleSchema, judgeSchema, qosSchema } from "./schema/qos.js";
import { tenantSchema } from "./schema/tenancy.js";
import type { EnsembleConfig, JudgeConfig, QosConfig } from "./snapshot.js";

/** What a config that leaves a field out gets, for code that runs without a config (a plan with no settings). */
export interface ConfigDefaults {
  readonly qos: QosConfig;
  readonly ensemble: EnsembleConfig;
  readonly judge: JudgeConfig;
  /** A tenant's `max_parallel_providers`. */
  readonly maxParallelProviders: number;
}

/**
 * The defaults read off the schema itself, so each default is written in one
 * place: the schema that also applies it to every loaded file.
 */
export const CONFIG_DEFAULTS: ConfigDefaults = deepFreeze({
  qos: qosSchema.parse({}),
  ensemble: { ...ensembleSchema.parse({}), win_rate_redis_url_env: null },
  judge: { ...judgeSchema.parse({}), provider: null },
  maxParallelProviders: tenantSchema.shape.max_parallel_providers.parse(undefined),
});
