import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createOutputValidator } from "./output-validator.js";

const SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../prompts/schemas");

const tags = Object.freeze({
  type: "object",
  required: ["tags"],
  properties: { tags: { type: "array", items: { type: "string", maxLength: 8 }, minItems: 2 } },
});

describe("output validation (R-ENS-6)", () => {
  const validator = createOutputValidator();

  it("accepts JSON that matches the task's schema", () => {
    expect(validator.check('{"tags":["warm","night"]}', { kind: "json_schema", schema: tags })).toEqual({ ok: true });
  });

  it("rejects JSON that breaks the schema, naming where", () => {
    const verdict = validator.check('{"tags":["warm","much too long"]}', { kind: "json_schema", schema: tags });
    expect(verdict).toEqual({ ok: false, reason: "output does not match the task's schema: /tags/1 must NOT have more than 8 characters" });
    expect(validator.check("{}", { kind: "json_schema", schema: tags })).toMatchObject({ ok: false });
  });

  it("rejects text that is not JSON for json and json_schema outputs", () => {
    expect(validator.check('{"tags": [', { kind: "json_schema", schema: tags })).toEqual({ ok: false, reason: "output is not valid JSON" });
    expect(validator.check("sure! here it is", { kind: "json" })).toEqual({ ok: false, reason: "output is not valid JSON" });
  });

  it("only parses for json, and only wants text for text", () => {
    expect(validator.check('{"anything": 1}', { kind: "json" })).toEqual({ ok: true });
    expect(validator.check("  ", { kind: "text" })).toMatchObject({ ok: false });
    expect(validator.check("hello", { kind: "text" })).toEqual({ ok: true });
  });

  it("compiles each schema object once", () => {
    let reads = 0;
    const schema = {
      get type() {
        reads++;
        return "object";
      },
    };
    validator.check("{}", { kind: "json_schema", schema });
    const afterCompile = reads;
    expect(afterCompile).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) validator.check("{}", { kind: "json_schema", schema });
    expect(reads).toBe(afterCompile);
  });

  it("compiles a reloaded schema that keeps its $id", () => {
    const withId = () => ({ $id: "https://llm-pool.test/tags", type: "array" });
    const first = withId();
    const reloaded = withId();
    expect(validator.check("[]", { kind: "json_schema", schema: first })).toEqual({ ok: true });
    expect(validator.check("[]", { kind: "json_schema", schema: reloaded })).toEqual({ ok: true });
    expect(validator.check("{}", { kind: "json_schema", schema: first })).toMatchObject({ ok: false });
  });

  it("rejects every candidate, saying why, when the schema itself does not compile", () => {
    const verdict = validator.check("{}", { kind: "json_schema", schema: { type: "no-such-type" } });
    expect(verdict).toMatchObject({ ok: false });
    expect(!verdict.ok && verdict.reason).toBe("the output schema does not compile: at /type must be equal to one of the allowed values");
  });

  it("a schema that refers to itself makes the answer invalid instead of overflowing the stack", () => {
    const check = () => validator.check("null", { kind: "json_schema", schema: { $ref: "#" } });
    expect(check).not.toThrow();
    expect(check()).toEqual({
      ok: false,
      reason: 'the output schema does not compile: at /$ref "#" leads back to a schema that contains it; recursive $ref is not supported',
    });
  });

  it("a catastrophic-backtracking pattern is matched in linear time", () => {
    const schema = { type: "string", pattern: "^(a+)+$" };
    expect(validator.check(JSON.stringify(`${"a".repeat(40)}!`), { kind: "json_schema", schema })).toMatchObject({ ok: false });
  });

  it("understands draft 2020-12 schemas", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "array",
      prefixItems: [{ type: "string" }],
    };
    expect(validator.check('["a", 1]', { kind: "json_schema", schema })).toEqual({ ok: true });
    expect(validator.check("[1]", { kind: "json_schema", schema })).toMatchObject({ ok: false });
  });

  it("compiles every task schema shipped in prompts/schemas", () => {
    const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".json"));
    expect(files.length).toBe(6);
    for (const file of files) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as Record<string, unknown>;
      const verdict = validator.check("[]", { kind: "json_schema", schema });
      expect(verdict.ok ? "" : verdict.reason, file).toMatch(/^output does not match the task's schema: /);
    }
  });
});
