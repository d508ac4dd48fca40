import * as z from "zod";
import { OUTPUT_FORMATS, STRATEGIES, TASK_NAMES, type TaskName } from "../names.js";
import { CACHE_MAX_TTL_MS } from "./cache.js";
import { PROFILE_NAME_PATTERN, filePath, intIn, name, numberIn } from "./common.js";

const providerList = () => z.array(name());
const weights = () => z.record(name(), numberIn(0, 10));

/** A reusable routing recipe (the seed's FAST-LOW, JUDGE-MID, ...) that tasks refer to by name. */
export const profileSchema = z.strictObject({
  strategy: z.enum(STRATEGIES),
  providers: providerList().min(1, { error: "must name at least one provider" }),
  hedge_after_ms: intIn(0, 120_000).optional(),
  weights: weights().optional(),
});

// Every field is optional: whatever a task leaves out comes from its profile, then from [qos],
// [ensemble] and [cache]. The resolution lives in resolve-tasks.ts.
const taskSchema = z.strictObject({
  profile: z.string().regex(PROFILE_NAME_PATTERN, { error: "must be a profile name" }).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  providers: providerList().min(1, { error: "must name at least one provider" }).optional(),
  fallback_providers: providerList().optional(),
  weights: weights().optional(),
  deadline_ms: intIn(1, 120_000).optional(),
  max_tokens: intIn(1, 32_768).optional(),
  hedge_after_ms: intIn(0, 120_000).optional(),
  cache_ttl_ms: intIn(0, CACHE_MAX_TTL_MS).optional(),
  // On a saturated engine, a tenant's waiting calls of higher priority go first (and win ties between tenants).
  priority: intIn(0, 9).optional(),
  temperature: numberIn(0, 2).optional(),
  seed: z.int().optional(),
  output: z.enum(OUTPUT_FORMATS).optional(),
  prompt_file: filePath().optional(),
  schema_file: filePath().optional(),
  enabled: z.boolean().default(true),
});

export const tasksSchema = z.strictObject(
  Object.fromEntries(TASK_NAMES.map((task) => [task, taskSchema.optional()])) as Record<
    TaskName,
    z.ZodOptional<typeof taskSchema>
  >,
);

export const profilesSchema = z.record(
  z.string().regex(PROFILE_NAME_PATTERN, { error: "profile names are 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'" }),
  profileSchema,
);
