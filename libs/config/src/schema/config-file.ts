import * as z from "zod";
import { cacheSchema } from "./cache.js";
import { providerSchema } from "./providers.js";
import { breakerSchema, ensembleSchema, judgeSchema, qosSchema } from "./qos.js";
import { redisSchema } from "./redis.js";
import { serverSchema } from "./server.js";
import { profilesSchema, tasksSchema } from "./tasks.js";
import { tenancySchema } from "./tenancy.js";
import { tracingSchema } from "./tracing.js";

const PROVIDERS_REQUIRED = "at least one [[providers]] entry is required";

/**
 * The shape of llm-pool.toml as written. Tables that may be left out use `prefault({})`, so their
 * field defaults still apply (a plain `.default({})` would skip parsing the default).
 */
export const configFileSchema = z.strictObject({
  server: serverSchema.prefault({}),
  qos: qosSchema.prefault({}),
  ensemble: ensembleSchema.prefault({}),
  breaker: breakerSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  redis: redisSchema.prefault({}),
  judge: judgeSchema.prefault({}),
  providers: z
    .array(providerSchema, { error: (iss) => (iss.input === undefined ? PROVIDERS_REQUIRED : undefined) })
    .min(1, { error: PROVIDERS_REQUIRED }),
  profiles: profilesSchema.default({}),
  tasks: tasksSchema.prefault({}),
  tenancy: tenancySchema.prefault({}),
  tracing: tracingSchema.prefault({}),
});

/** llm-pool.toml as an author may write it (every defaulted field optional). */
export type ConfigFileInput = z.input<typeof configFileSchema>;
/** llm-pool.toml after schema validation and defaults, before cross-field checks and resolution. */
export type ConfigFile = z.output<typeof configFileSchema>;
export type ProviderEntry = ConfigFile["providers"][number];
export type TaskEntry = NonNullable<ConfigFile["tasks"]["judge"]>;
export type TenantEntry = ConfigFile["tenancy"]["tenants"][string];
