import { hashHex, seededRandom, type Random } from "./prng.js";
import type { AnswerRule, ResolvedModel } from "./scenario.js";
import { schemaInstance } from "./schema-instance.js";

/** What the client asked the output to be. */
export type OutputFormat = { kind: "text" } | { kind: "json" } | { kind: "json_schema"; schema: unknown };

export interface AnswerRequest {
  model: Pick<ResolvedModel, "name" | "family" | "answers">;
  /** The prompt as pieces in order (system, messages, prompt); they are joined by newlines. */
  texts: string[];
  seed: number | undefined;
  format: OutputFormat;
}

const DEFAULT_WORDS = 12;

// Plain lowercase words: similarity measures and tokenizers treat them predictably.
const VOCABULARY = (
  "amber anchor apple arrow autumn badge basil beacon birch blossom bridge canyon cedar cherry cloud comet " +
  "copper coral crystal dawn delta desert echo ember falcon fern field flint forest garden glacier granite " +
  "harbor hazel horizon island ivory jade lagoon lantern maple marble meadow mint nebula oak ocean olive " +
  "orchid pebble pepper pine planet prairie quartz rain raven reef river saffron sage shadow silver sparrow " +
  "spruce stone summit thunder tide timber topaz valley velvet willow winter"
).split(" ");

function words(random: Random, count: number): string {
  return Array.from({ length: count }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]).join(" ");
}

/** Model-style JSON: compact but with a space after separators, so it splits into several tokens. */
export function modelJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, " ");
}

function ruleMatches(rule: AnswerRule, prompt: string): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.contains !== undefined && !prompt.includes(m.contains)) return false;
  if (m.regex !== undefined && !new RegExp(m.regex).test(prompt)) return false;
  return true;
}

function fillTemplate(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === "string") return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => fillTemplate(v, vars));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplate(v, vars)]));
  }
  return value;
}

/**
 * The full (untruncated) answer text. Pure: the same model family, seed and prompt always give
 * the same text, so models that share a `family` agree and the others do not.
 */
export function composeAnswer(req: AnswerRequest): string {
  const prompt = req.texts.join("\n");
  const hash = hashHex("echo-hash", req.model.family, String(req.seed ?? ""), prompt);
  const random = seededRandom(Number.parseInt(hash.slice(0, 8), 16));
  const rule = req.model.answers.find((r) => ruleMatches(r, prompt)) ?? { mode: "echo-hash" };
  switch (rule.mode) {
    case "text":
      return rule.text;
    case "json": {
      const vars = { hash: hash.slice(0, 12), words: words(random, DEFAULT_WORDS), model: req.model.name, family: req.model.family, prompt };
      return modelJson(fillTemplate(rule.json, vars));
    }
    case "invalid-json":
      return `Sure! Here is the JSON: {"answer": "${words(random, 4)}"`;
    case "echo-hash": {
      const count = rule.words ?? DEFAULT_WORDS;
      if (req.format.kind === "json") return modelJson({ answer: words(random, count) });
      if (req.format.kind === "json_schema") {
        return modelJson(schemaInstance(req.format.schema, { random, phrase: () => words(random, 3) }));
      }
      return words(random, count);
    }
  }
}
