import * as z from "zod";
import { TASK_NAMES } from "../names.js";
import { envName, filePath, httpUrl, intIn, name, numberIn } from "./common.js";

/** Fields every driver shares. `engine` groups providers that share one engine's concurrency limit. */
const common = {
  name: name(),
  model: z.string().min(1).max(256),
  engine: z.string().min(1).max(256).optional(),
  max_concurrency: intIn(1, 1024).optional(),
  tasks: z.array(z.enum(TASK_NAMES)).optional(),
  weight: numberIn(0, 10).default(1),
  timeout_ms: intIn(1, 600_000).optional(),
};

// Ollama accepts Go-style durations ("30m", "1h30m"), "0" (unload at once) and "-1" (keep forever).
const KEEP_ALIVE = /^(-1|0|(\d+(ms|s|m|h))+)$/;

const ollama = z.strictObject({
  ...common,
  driver: z.literal("ollama"),
  base_url: httpUrl(),
  keep_alive: z
    .string()
    .regex(KEEP_ALIVE, { error: 'must be a duration like "30m" or "1h", "0" or "-1"' })
    .default("30m"),
  endpoint: z.enum(["chat", "generate"]).default("chat"),
});

const openai = z.strictObject({
  ...common,
  driver: z.literal("openai"),
  base_url: httpUrl(),
  api_key_env: envName().optional(),
  endpoint: z.enum(["chat", "completions"]).default("chat"),
});

/** `${NAME}` env references are the only placeholders allowed in http headers. */
export const ENV_REFERENCE = /\$\{([^}]*)\}/g;
const ENV_REFERENCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "x-api-key", "api-key", "cookie"]);

export function envReferences(value: string): string[] {
  return [...value.matchAll(ENV_REFERENCE)].map((m) => m[1] ?? "");
}

const headerValue = z
  .string()
  .max(8192)
  .refine((v) => envReferences(v).every((ref) => ENV_REFERENCE_NAME.test(ref)), {
    error: "a ${...} reference must name an environment variable, e.g. ${MY_TOKEN}",
  })
  .refine((v) => !/\{\{[^}]*\}\}/.test(v), { error: "headers take ${ENV} references only, no {{...}} placeholders" });

const headers = z
  .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, { error: "is not a valid header name" }), headerValue)
  .superRefine((value, ctx) => {
    for (const [key, v] of Object.entries(value)) {
      if (CREDENTIAL_HEADERS.has(key.toLowerCase()) && envReferences(v).length === 0) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "credential headers must take their secret from an environment variable, e.g. \"Bearer ${MY_TOKEN}\"",
        });
      }
    }
  });

/** Placeholders the http driver fills in a body template. */
export const BODY_PLACEHOLDERS = ["prompt", "system", "model", "max_tokens", "temperature", "seed", "deadline_ms"] as const;

function placeholdersAreKnown(value: unknown): boolean {
  if (typeof value === "string") {
    return [...value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) =>
      (BODY_PLACEHOLDERS as readonly string[]).includes(m[1] ?? ""),
    );
  }
  if (Array.isArray(value)) return value.every(placeholdersAreKnown);
  if (value !== null && typeof value === "object") return Object.values(value).every(placeholdersAreKnown);
  return true;
}

// "choices[0].message.content": dotted keys with optional [index] steps.
const JSON_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*)*$/;
const jsonPath = () => z.string().regex(JSON_PATH, { error: 'must be a path like "choices[0].message.content"' });

const http = z.strictObject({
  ...common,
  driver: z.literal("http"),
  base_url: httpUrl(),
  api_key_env: envName().optional(),
  method: z.enum(["POST", "PUT"]).default("POST"),
  path: z.string().startsWith("/", { error: 'must start with "/"' }).max(2048),
  headers: headers.default({}),
  body_template: z
    .record(z.string(), z.unknown())
    .refine(placeholdersAreKnown, {
      error: `only these {{...}} placeholders are known: ${BODY_PLACEHOLDERS.join(", ")}`,
    }),
  text_path: jsonPath(),
  prompt_tokens_path: jsonPath().optional(),
  completion_tokens_path: jsonPath().optional(),
  health_path: z.string().startsWith("/", { error: 'must start with "/"' }).max(2048).optional(),
});

const embedded = z.strictObject({
  ...common,
  driver: z.literal("embedded"),
  model_path: filePath(),
  threads: intIn(1, 256).default(1),
  context_size: intIn(256, 1_048_576).default(4096),
  // Small models loop on a phrase without it; 1 turns it off.
  repeat_penalty: numberIn(1, 2).default(1.1),
});

export const providerSchema = z.discriminatedUnion("driver", [ollama, openai, http, embedded]);

/** Fields each driver accepts, to tell "unknown key" from "belongs to another driver" in messages. */
export const PROVIDER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ollama: Object.keys(ollama.shape),
  openai: Object.keys(openai.shape),
  http: Object.keys(http.shape),
  embedded: Object.keys(embedded.shape),
};
