import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputSchemaCompiler } from "./output-schema-compiler.js";

function compiled(compiler: OutputSchemaCompiler, schema: unknown) {
  const result = compiler.compile(schema);
  if (!result.ok) throw new Error(result.reason);
  return result.schema;
}

describe("R-ENS-6: an answer's check does bounded work and never throws", () => {
  const compiler = new OutputSchemaCompiler({ instance: { maxChars: 4_096, maxDepth: 8, maxValues: 256, workBudget: 2_000 } });

  it("an answer longer than the limit is invalid without being parsed", () => {
    expect(compiled(compiler, { type: "string" }).check(JSON.stringify("x".repeat(5_000)))).toEqual({
      ok: false,
      reason: "output is longer than 4096 characters; not checked against the schema",
    });
  });

  it("an answer nested deeper than the limit is invalid, however deep (no stack overflow)", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const roomy = new OutputSchemaCompiler({ instance: { maxChars: 1_000_000 } });
    expect(compiled(roomy, { uniqueItems: true }).check(deep)).toEqual({ ok: false, reason: "output nests deeper than 64 levels; not checked against the schema" });
    expect(compiled(compiler, { type: "array" }).check("[[[[[[[[[[1]]]]]]]]]]")).toMatchObject({ ok: false });
  });

  it("an answer with more values than the limit is invalid", () => {
    expect(compiled(compiler, { type: "array" }).check(JSON.stringify(Array.from({ length: 300 }, () => 0)))).toEqual({
      ok: false,
      reason: "output has more than 256 JSON values; not checked against the schema",
    });
  });

  it("pattern tests spend from the work budget; past it the answer is invalid", () => {
    const schema = compiled(compiler, { type: "array", items: { type: "string", pattern: "^[a-z]+$" } });
    expect(schema.check(JSON.stringify(["abc", "def"]))).toEqual({ ok: true });
    expect(schema.check(JSON.stringify(Array.from({ length: 100 }, () => "a".repeat(30))))).toEqual({
      ok: false,
      reason: "output not checked: checking the answer needs more work than one check may do",
    });
    // The budget is per check: a small answer after a large one is checked in full.
    expect(schema.check(JSON.stringify(["abc"]))).toEqual({ ok: true });
  });

  it("uniqueItems means what Ajv means: scalars by type and value, objects and arrays deeply, key order aside", () => {
    const unique = compiled(compiler, { uniqueItems: true });
    expect(unique.check('[1, "1", true, "true", null, "null", 1.5]')).toEqual({ ok: true });
    expect(unique.check('[{"a": 1, "b": [2]}, {"b": [2], "a": 1}]')).toEqual({
      ok: false,
      reason: "output does not match the task's schema: (root) must NOT have duplicate items (items ## 0 and 1 are identical)",
    });
    expect(unique.check("[0, -0]")).toMatchObject({ ok: false });
    expect(unique.check('[[1, 2], [2, 1]]')).toEqual({ ok: true });
  });

  it("uniqueItems compares pairs of objects within the work budget, not for seconds", () => {
    const unique = compiled(new OutputSchemaCompiler({ instance: { workBudget: 1_000 } }), { uniqueItems: true });
    const distinct = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ i })));
    expect(unique.check(distinct)).toEqual({ ok: false, reason: "output not checked: checking the answer needs more work than one check may do" });
    const scalars = JSON.stringify(Array.from({ length: 4_000 }, (_, i) => i));
    expect(unique.check(scalars)).toEqual({ ok: true });
  });

  it("property: for any JSON schema value and any JSON answer, compile and check return a verdict and never throw", () => {
    const anyCompiler = new OutputSchemaCompiler();
    const keyword = fc.constantFrom("type", "items", "properties", "$ref", "enum", "pattern", "allOf", "anyOf", "not", "uniqueItems", "$defs", "definitions", "required", "additionalProperties", "$id", "$schema", "const", "minLength");
    const schemaLike = fc.letrec((tie) => ({
      schema: fc.oneof(
        { depthSize: "small", withCrossShrink: true, maxDepth: 4 },
        fc.boolean(),
        fc.dictionary(keyword, tie("value"), { maxKeys: 4 }),
      ),
      value: fc.oneof(
        { depthSize: "small", maxDepth: 4 },
        fc.constantFrom("#", "#/definitions/a", "#/$defs/a", "#/items", "string", "integer", "object", "^(a+)+$", "http://x.test/s"),
        fc.jsonValue({ maxDepth: 2 }),
        tie("schema"),
        fc.array(tie("schema"), { maxLength: 3 }),
      ),
    }));
    fc.assert(
      fc.property(schemaLike.schema, fc.json({ maxDepth: 3 }), (schema, answer) => {
        const result = anyCompiler.compile(schema);
        if (result.ok) {
          const verdict = result.schema.check(answer);
          expect(typeof verdict.ok).toBe("boolean");
        } else {
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300, seed: 20_260_101 },
    );
  });
});
