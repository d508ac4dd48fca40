import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OutputSchemaCompiler, type CompileResult } from "./output-schema-compiler.js";

const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../prompts/schemas");

const reason = (result: CompileResult): string => (result.ok ? "(compiled)" : result.reason);

describe("R-API-4: client schemas are refused at compile time when they could make validation unbounded", () => {
  const compiler = new OutputSchemaCompiler();
  const refused: [string, unknown, RegExp][] = [
    ["a schema that refers to itself (the request that crashed the pool)", { $ref: "#" }, /^at \/\$ref "#" leads back to a schema that contains it; recursive \$ref/],
    [
      "mutual recursion through definitions",
      { definitions: { a: { $ref: "#/definitions/b" }, b: { properties: { x: { $ref: "#/definitions/a" } } } }, $ref: "#/definitions/a" },
      /recursive \$ref is not supported/,
    ],
    ["mutual recursion through 2020-12 $defs", { $schema: "https://json-schema.org/draft/2020-12/schema", $defs: { a: { items: { $ref: "#/$defs/a" } } }, $ref: "#/$defs/a" }, /^at \/\$defs\/a\/items\/\$ref .*recursive/],
    ["a reference to another document", { $ref: "http://169.254.169.254/latest/meta-data" }, /^at \/\$ref "http:\/\/169.254.169.254\/latest\/meta-data" only local references/],
    ["a relative document reference", { $ref: "other.json#/x" }, /only local references/],
    ["a reference to nothing", { $ref: "#/definitions/missing" }, /points at nothing in the schema/],
    ["an anchor reference", { $ref: "#top" }, /anchor references are not supported/],
    ["$id below the root, which moves what references resolve against", { properties: { a: { $id: "https://x.test/a", type: "string" } } }, /^at \/properties\/a\/\$id: \$id is only allowed at the root/],
    ["$anchor", { $anchor: "top" }, /\$anchor is not supported/],
    ["2020-12 $dynamicRef", { $schema: "https://json-schema.org/draft/2020-12/schema", $dynamicAnchor: "m", items: { $dynamicRef: "#m" } }, /\$dynamicAnchor is not supported/],
    ["2019-09 $recursiveRef", { items: { $recursiveRef: "#" } }, /\$recursiveRef is not supported/],
    ["an unknown dialect", { $schema: "https://example.test/my-meta" }, /^\$schema must name draft-07 \(http:\/\/json-schema\.org\/draft-07\/schema#\) or 2020-12/],
    ["deep nesting", nest(40), /nests deeper than 32 levels/],
    ["a huge enum", { enum: Array.from({ length: 5_000 }, (_, i) => i) }, /has more than 1024 JSON values/],
    ["references that double at every step", diamond(12), /with every \$ref written out the schema has more than 256 subschemas/],
    ["a pattern whose counted repetition makes a large program", { type: "string", pattern: "^(?:[a-z]{1,50}\\s){1,50}$" }, /^at \/pattern: the pattern is too large/],
    ["lookahead, which the linear-time engine does not have", { type: "string", pattern: "^(?=.*[0-9]).+$" }, /pattern "\^\(\?=\.\*\[0-9\]\)\.\+\$" is not supported/],
    ["a backreference", { patternProperties: { "^(a)\\1$": { type: "integer" } } }, /is not supported/],
    ["a schema the meta-schema rejects", { type: "no-such-type" }, /^at \/type must be equal to one of the allowed values/],
    ["a keyword with a value of the wrong type", { minLength: "ten" }, /^at \/minLength must be integer/],
    ["a $ref that is not a string", { $ref: 7 }, /^at \/\$ref must be a string/],
  ];
  it.each(refused)("refuses %s, saying where", (_, schema, expected) => {
    expect(reason(compiler.compile(schema))).toMatch(expected);
  });

  it("never throws, whatever the value", () => {
    for (const value of [null, 42, "s", [], [{ $ref: "#" }], undefined, Object.create(null)]) expect(() => compiler.compile(value)).not.toThrow();
    expect(reason(compiler.compile([]))).toBe("must be a JSON object");
  });
});

describe("R-ENS-6: schemas within the limits compile and check answers", () => {
  const compiler = new OutputSchemaCompiler();
  const check = (schema: unknown, text: string) => {
    const compiled = compiler.compile(schema);
    if (!compiled.ok) throw new Error(compiled.reason);
    return compiled.schema.check(text);
  };

  it("every task schema shipped in prompts/schemas compiles", () => {
    const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".json"));
    expect(files.length).toBe(6);
    for (const file of files) expect(reason(compiler.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")))), file).toBe("(compiled)");
  });

  it("local references that do not recurse are followed", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      definitions: { tag: { type: "string", maxLength: 8 } },
      type: "array",
      items: { $ref: "#/definitions/tag" },
    };
    expect(check(schema, '["warm", "night"]')).toEqual({ ok: true });
    expect(check(schema, '["much too long"]')).toEqual({ ok: false, reason: "output does not match the task's schema: /0 must NOT have more than 8 characters" });
  });

  it("2020-12 schemas with $defs and prefixItems", () => {
    const schema = { $schema: "https://json-schema.org/draft/2020-12/schema", $defs: { s: { type: "string" } }, prefixItems: [{ $ref: "#/$defs/s" }] };
    expect(check(schema, '["a", 1]')).toEqual({ ok: true });
    expect(check(schema, "[1]")).toMatchObject({ ok: false });
  });

  it("a root $id is kept out of the way: two schemas with the same $id compile side by side", () => {
    expect(check({ $id: "https://llm-pool.test/tags", type: "array" }, "[]")).toEqual({ ok: true });
    expect(check({ $id: "https://llm-pool.test/tags", type: "object" }, "[]")).toMatchObject({ ok: false });
  });

  it("patterns run on RE2: ^(a+)+$ against thirty a's and a bang answers at once", () => {
    const schema = { type: "string", pattern: "^(a+)+$" };
    expect(check(schema, JSON.stringify(`${"a".repeat(30)}!`))).toEqual({
      ok: false,
      reason: `output does not match the task's schema: (root) must match pattern "^(a+)+$"`,
    });
    expect(check(schema, '"aaaa"')).toEqual({ ok: true });
    expect(check({ patternProperties: { "^x-(?<name>[a-z]+)$": { type: "integer" } } }, '{"x-id": "nope"}')).toMatchObject({ ok: false });
  });

  it("compiles each schema object once, and the same text once", () => {
    let reads = 0;
    const counted = { get type() { reads++; return "object"; } };
    compiler.compile(counted);
    const afterCompile = reads;
    for (let i = 0; i < 5; i++) compiler.compile(counted);
    expect(reads).toBe(afterCompile);
    const first = compiler.compile(JSON.parse('{"type": "integer", "minimum": 3}'));
    expect(compiler.compile(JSON.parse('{"type": "integer", "minimum": 3}'))).toBe(first);
  });

  it("a refusal is remembered too", () => {
    const schema = { $ref: "#" };
    expect(compiler.compile(schema)).toBe(compiler.compile(schema));
  });
});

function nest(depth: number): unknown {
  let schema: unknown = { type: "string" };
  for (let i = 0; i < depth; i++) schema = { type: "array", items: schema };
  return schema;
}

/** d_i is all of d_{i-1} twice: written out, d_n has 2^n copies of d_0. */
function diamond(levels: number): unknown {
  const definitions: Record<string, unknown> = { d0: { type: "integer" } };
  for (let i = 1; i <= levels; i++) definitions[`d${i}`] = { allOf: [{ $ref: `#/definitions/d${i - 1}` }, { $ref: `#/definitions/d${i - 1}` }] };
  return { definitions, $ref: `#/definitions/d${levels}` };
}
