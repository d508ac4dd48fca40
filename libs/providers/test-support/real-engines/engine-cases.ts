// The requests every real-engine spec sends, so the three engines are held to the
// same checks. Sized for SmolLM2-135M-Instruct on one CPU thread (~40-60 tokens/s): a few seconds of
// generation per suite. Test support, never built.
import { Deadline, systemClock, type ProviderRequest } from "@llm-pool/core";

const SYSTEM = "You are a helpful assistant.";

/** Far more than 8 tokens of answer: generation must stop at maxTokens with finishReason "length". */
export const CUT_AT_EIGHT: ProviderRequest = {
  task: "enrich_metadata",
  system: SYSTEM,
  prompt: "Write a long story about a lighthouse keeper and the sea.",
  maxTokens: 8,
  temperature: 0,
  seed: 1,
  output: { kind: "text" },
};

/** The same for a raw completion route (no chat template): a story opening the model continues. */
export const CUT_AT_EIGHT_RAW: ProviderRequest = { ...CUT_AT_EIGHT, prompt: "Once upon a time, a lighthouse keeper" };

/**
 * A small schema whose strings have a maxLength, so even a tiny model that rambles inside a string
 * is forced to close it and the answer terminates well within maxTokens.
 */
export const CITY_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string", maxLength: 24 },
    country: { type: "string", maxLength: 24 },
  },
  required: ["city", "country"],
  additionalProperties: false,
} as const;

export const CITY_JSON: ProviderRequest = {
  task: "enrich_metadata",
  system: SYSTEM,
  prompt: 'What is the capital of France? Answer in JSON like {"city": "...", "country": "..."}.',
  maxTokens: 128,
  temperature: 0,
  seed: 1,
  output: { kind: "json_schema", schema: CITY_SCHEMA },
};

/** Why `value` does not match CITY_SCHEMA, or undefined when it does. */
export function cityMismatch(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not an object";
  const keys = Object.keys(value).sort();
  if (keys.join(",") !== "city,country") return `keys are [${keys.join(", ")}], expected [city, country]`;
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field !== "string") return `${key} is not a string`;
    if (field.length > CITY_SCHEMA.properties.city.maxLength) return `${key} is longer than ${CITY_SCHEMA.properties.city.maxLength}`;
  }
  return undefined;
}

/** Sampling that could vary, pinned by seed and temperature 0: two calls must give the same text. */
export const REPEATABLE: ProviderRequest = {
  task: "enrich_metadata",
  system: SYSTEM,
  prompt: "Name three colors and one thing of each color.",
  maxTokens: 32,
  temperature: 0,
  seed: 42,
  output: { kind: "text" },
};

/**
 * A generation that runs to its 1000-token limit when left alone (checked on Ollama and llama-server:
 * finish "length" after 1000 tokens, ~20 s on one thread), so a deadline a second into it always
 * cuts it mid-answer.
 */
export const LONG_STORY: ProviderRequest = {
  task: "enrich_metadata",
  system: SYSTEM,
  prompt: "Tell me a very long story about a dragon who learns to fly, with many chapters.",
  maxTokens: 1000,
  temperature: 0,
  seed: 1,
  output: { kind: "text" },
};

/** How long after the engine is seen working on LONG_STORY its deadline falls: far too short to finish. */
export const LONG_STORY_DEADLINE_MS = 1000;

export interface GenerationDeadline {
  /** The signal to give the call. */
  readonly signal: AbortSignal;
  /** Resolves once the deadline has fired; rejects (and aborts the call) if the engine was never seen working. */
  readonly fired: Promise<void>;
}

/**
 * A pool deadline (core's Deadline: it aborts with PoolError DeadlineExceeded) that starts when
 * `working` resolves, i.e. once the engine is seen processing the call, so on a loaded machine it
 * still falls in the middle of the generation rather than before the engine got the request.
 */
export function deadlineOnceWorking(working: Promise<unknown>, budgetMs = LONG_STORY_DEADLINE_MS): GenerationDeadline {
  const controller = new AbortController();
  const fired = working.then(
    () =>
      new Promise<void>((resolve) => {
        const deadline = new Deadline(systemClock, systemClock.now() + budgetMs);
        deadline.signal.addEventListener(
          "abort",
          () => {
            controller.abort(deadline.signal.reason);
            deadline.dispose();
            resolve();
          },
          { once: true },
        );
      }),
    (error: unknown) => {
      controller.abort(error);
      throw error;
    },
  );
  return { signal: controller.signal, fired };
}
