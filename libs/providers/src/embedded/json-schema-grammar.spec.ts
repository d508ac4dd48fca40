import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom } from "@llm-pool/core";
import { createOutputValidator } from "@llm-pool/ensemble";
import { GbnfSampler } from "@llm-pool/providers/test-support";
import { getLlama, type Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaGrammar } from "./json-schema-grammar.js";

// R-ENS-6: what the embedded engine's grammar lets the model write, the validator accepts.
// Property test: draw many texts from the very grammar llama.cpp receives and validate each one with
// the pool's own output validator (Ajv). No model is needed, only llama.cpp's binding.
const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../../prompts/schemas");
const SAMPLES = 400;
const validator = createOutputValidator();

const taskSchemas = readdirSync(SCHEMAS_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => [file, JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as Record<string, unknown>] as const);

/** Every property required, recursively: the grammar then writes the optional ones too. */
function allRequired(schema: unknown): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  if (out.properties && typeof out.properties === "object") {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, allRequired(v)]));
    out.required = Object.keys(out.properties as object);
  }
  if (out.items) out.items = allRequired(out.items);
  return out;
}

/** Shapes the task schemas do not have, within what check-config allows. */
const moreSchemas: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ...taskSchemas.map(([file, schema]) => [`${file} with every property required`, allRequired(schema) as Record<string, unknown>] as const),
  ["a nullable object with a nullable bounded list", { type: ["object", "null"], properties: { ids: { type: ["array", "null"], items: { type: "integer" }, maxItems: 3 } } }],
  ["numbers of every supported range", { type: "array", items: { type: "number", minimum: 0 }, minItems: 1, maxItems: 4 }],
  ["a bare enum of mixed literals", { enum: ["a\"b", 1.5, true, null] }],
  ["strings with both limits", { type: "object", properties: { s: { type: "string", minLength: 2, maxLength: 3 } }, required: ["s"] }],
];

/** The first sample (of `count`, drawn with `seed`) that the validator refuses, with its reason. */
function firstRefused(gbnf: string, schema: Record<string, unknown>, seed: number, count = SAMPLES): string | undefined {
  const sampler = new GbnfSampler(gbnf);
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    // The driver returns the text with the grammar's closing newlines trimmed (generation.ts).
    const text = sampler.sample(random).trimEnd();
    const verdict = validator.check(text, { kind: "json_schema", schema });
    if (!verdict.ok) return `${JSON.stringify(text)}: ${verdict.reason}`;
  }
  return undefined;
}

describe("R-ENS-6 the embedded grammar writes only answers the validator accepts (property test)", () => {
  let llama: Llama;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: "never", maxThreads: 1 });
  }, 60_000);
  afterAll(async () => {
    await llama?.dispose();
  });

  it.each(taskSchemas)(`prompts/schemas/%s: ${SAMPLES} texts drawn from its grammar all validate`, async (_, schema) => {
    const { gbnf } = await schemaGrammar(llama, schema);
    expect(firstRefused(gbnf, schema, 12)).toBeUndefined();
  });

  it.each(moreSchemas)(`%s: ${SAMPLES} texts drawn from its grammar all validate`, async (_, schema) => {
    const { gbnf } = await schemaGrammar(llama, schema);
    expect(firstRefused(gbnf, schema, 34)).toBeUndefined();
  });

  it("the sampler does find what node-llama-cpp's own grammar gets wrong: bounds, exponents on integers, limits on type lists", async () => {
    // Why schemaGrammar rewrites the schema first: the library's grammar for the same schemas lets
    // through a negative duration, a confidence above 1, "1e-5" as an integer, an over-long winner_id.
    const raw = async (schema: Record<string, unknown>) => (await llama.createGrammarForJsonSchema(schema as never)).grammar;
    const schemas = Object.fromEntries(taskSchemas);
    expect(firstRefused(await raw(schemas["expand_queries.json"]!), schemas["expand_queries.json"]!, 1)).toMatch(/duration_range_sec\/\d must be (>= 0|integer)/);
    expect(firstRefused(await raw(schemas["judge.json"]!), schemas["judge.json"]!, 1)).toMatch(/(confidence must be [<>]=|winner_id must NOT have more than 64 characters)/);
  });

  it("an object that lists its required properties is written with those alone", async () => {
    const schema = { type: "object", required: ["a"], properties: { a: { type: "boolean" }, b: { type: "boolean" } } };
    const { gbnf } = await schemaGrammar(llama, schema);
    const sampler = new GbnfSampler(gbnf);
    const random = seededRandom(5);
    for (let i = 0; i < 20; i++) expect(Object.keys(JSON.parse(sampler.sample(random)) as object)).toEqual(["a"]);
  });

  it("the JSON is compact: no newline or indentation between tokens, only the closing newlines", async () => {
    const { gbnf } = await schemaGrammar(llama, taskSchemas.find(([file]) => file === "recovery_plan.json")![1]);
    const sampler = new GbnfSampler(gbnf);
    const random = seededRandom(9);
    for (let i = 0; i < 50; i++) expect(sampler.sample(random).trimEnd()).not.toMatch(/[\n\t]/);
  });

  it("the grammar is what llama.cpp accepts, and keeps node-llama-cpp's end of value (a run of newlines that stops generation)", async () => {
    const { gbnf, stopGenerationTriggers } = await schemaGrammar(llama, taskSchemas[0]![1]);
    const grammar = await llama.createGrammar({ grammar: gbnf, stopGenerationTriggers });
    expect(grammar.grammar).toBe(gbnf);
    expect(stopGenerationTriggers.map(String)).toEqual(["\n\n\n\n"]);
  });
});
