import { numberRange, typeTags, type NumberRange } from "@llm-pool/config";
import type { Llama, LlamaGrammar } from "node-llama-cpp";

// node-llama-cpp turns a JSON Schema into a llama.cpp grammar, but only for a subset: it ignores
// `minimum`/`maximum`, writes integers with exponents ("1e-5" is not an integer), and drops string
// limits on a `type` list such as ["string", "null"]. Each of those lets the model write an answer
// the pool's validator then refuses. So the schema is rewritten first: type lists become `oneOf`,
// and every number becomes a placeholder literal that is swapped, in the generated grammar, for a
// number rule that honours the bounds check-config allows (see @llm-pool/config numberRange).
//
// node-llama-cpp's grammar writes every listed property, optional or not. An object that names its
// required properties is therefore written with those alone: on one CPU thread each optional field
// costs seconds, and a small model fills them with noise. For the same reason the JSON is compact:
// between tokens at most one space, where node-llama-cpp allows newlines and indentation that
// small models spend a third of their tokens on.

/** Number rules without exponents and at most 16 digits on either side of the point. */
const NUMBER_RULES: Readonly<Record<"integer" | "number", Readonly<Record<NumberRange, string>>>> = {
  integer: {
    any: '"-"? ("0" | [1-9] [0-9]{0,15})',
    non_negative: '("0" | [1-9] [0-9]{0,15})',
    unit_interval: '("0" | "1")',
  },
  number: {
    any: '"-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,15})?',
    non_negative: '("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,15})?',
    unit_interval: '("0" ("." [0-9]{1,15})? | "1" ("." "0"{1,15})?)',
  },
};

/** node-llama-cpp's rules for the whitespace between tokens (and after commas), one per line. */
const WHITESPACE_RULE = /^((?:comma-)?whitespace-[a-z0-9-]+-rule) ::= .*$/gm;

/** The keywords that only make sense for one JSON type, so a type list can be split by type. */
const TYPE_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  string: ["minLength", "maxLength", "format"],
  number: ["minimum", "maximum"],
  integer: ["minimum", "maximum"],
  object: ["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
  array: ["items", "prefixItems", "minItems", "maxItems"],
};
const ALL_TYPE_KEYWORDS = new Set(Object.values(TYPE_KEYWORDS).flat());

export interface SchemaGrammar {
  /** The GBNF text llama.cpp receives. */
  readonly gbnf: string;
  /** What ends generation: node-llama-cpp's JSON grammars close the value with a run of newlines. */
  readonly stopGenerationTriggers: LlamaGrammar["stopGenerationTriggers"];
}

/** The grammar for answers of `schema`, as the embedded driver gives it to llama.cpp. */
export async function schemaGrammar(llama: Llama, schema: Readonly<Record<string, unknown>>): Promise<SchemaGrammar> {
  const numbers = new Map<string, string>();
  const rewritten = rewrite(schema, numbers);
  const generated = await llama.createGrammarForJsonSchema(rewritten as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
  let gbnf = generated.grammar;
  for (const [placeholder, rule] of numbers) {
    const literal = JSON.stringify(JSON.stringify(placeholder));
    if (!gbnf.includes(literal)) throw new Error(`the generated grammar has no ${literal} to replace with a number rule`);
    gbnf = gbnf.split(literal).join(`(${rule})`);
  }
  gbnf = gbnf.replace(WHITESPACE_RULE, (_, name: string) => `${name} ::= ${name.startsWith("comma-") ? '"," ' : ""}[ ]?`);
  return { gbnf, stopGenerationTriggers: generated.stopGenerationTriggers };
}

function rewrite(node: unknown, numbers: Map<string, string>): unknown {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return node;
  const schema = node as Readonly<Record<string, unknown>>;
  if ("enum" in schema || "const" in schema) return schema;
  const types = typeTags(schema);
  if (types.length > 1) return { oneOf: types.map((type) => rewrite(narrow(schema, type), numbers)) };
  const [type] = types;
  if (type === "integer" || type === "number") {
    const placeholder = `llmpool:number:${numbers.size}`;
    numbers.set(placeholder, NUMBER_RULES[type][numberRange(schema) ?? "any"]);
    return { const: placeholder };
  }
  const out: Record<string, unknown> = { ...schema };
  if (type === "object" && isRecord(schema.properties)) {
    const required = Array.isArray(schema.required) ? new Set(schema.required) : undefined;
    const written = Object.entries(schema.properties).filter(([name]) => required === undefined || required.has(name));
    out.properties = Object.fromEntries(written.map(([name, child]) => [name, rewrite(child, numbers)]));
  }
  if (type === "object" && isRecord(schema.additionalProperties)) out.additionalProperties = rewrite(schema.additionalProperties, numbers);
  if (type === "array" && isRecord(schema.items)) out.items = rewrite(schema.items, numbers);
  return out;
}

/** The part of a multi-typed schema that applies to `type`. */
function narrow(schema: Readonly<Record<string, unknown>>, type: string): Record<string, unknown> {
  const own = new Set(TYPE_KEYWORDS[type] ?? []);
  const entries = Object.entries(schema).filter(([key]) => key !== "type" && (!ALL_TYPE_KEYWORDS.has(key) || own.has(key)));
  return { ...Object.fromEntries(entries), type };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
