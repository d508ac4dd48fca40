import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIGS_DIR, lineOf, minimalWith, removeTempDirs, tempDir, writeFile } from "@llm-pool/config/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { checkConfig } from "./check-config.js";
import { numberRange, unenforceableSchemaParts } from "./enforceable-schema.js";

afterEach(removeTempDirs);

const SCHEMAS_DIR = join(CONFIGS_DIR, "../prompts/schemas");

describe("R-ENS-6 task schemas use only what the engines' grammar enforces", () => {
  it.each(readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".json")))("the shipped %s passes", (file) => {
    expect(unenforceableSchemaParts(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")))).toEqual([]);
  });

  it("names each keyword the grammar ignores, with its JSON pointer", () => {
    const problems = unenforceableSchemaParts({
      type: "object",
      properties: {
        code: { type: "string", pattern: "^[A-Z]+$" },
        score: { type: "number", exclusiveMinimum: 0 },
        when: { type: "string", format: "date-time" },
        pick: { oneOf: [{ type: "string" }, { type: "integer" }] },
      },
    });
    expect(problems.map((p) => `${p.pointer} ${p.message.split(",")[0]}`)).toEqual([
      '/properties/code/pattern "pattern" is not enforced by the engines\' JSON grammar',
      '/properties/score/exclusiveMinimum "exclusiveMinimum" is not enforced by the engines\' JSON grammar',
      '/properties/when/format "format" is not enforced by the engines\' JSON grammar',
      '/properties/pick needs a "type" (or "enum"/"const"): the grammar cannot guess what to write',
      '/properties/pick/oneOf "oneOf" is not enforced by the engines\' JSON grammar',
    ]);
  });

  it("refuses bounds the grammar cannot write out and accepts the ones it can", () => {
    expect(numberRange({ type: "integer", minimum: 0 })).toBe("non_negative");
    expect(numberRange({ type: "number", minimum: 0, maximum: 1 })).toBe("unit_interval");
    expect(numberRange({ type: "integer", minimum: 0, maximum: 1 })).toBeUndefined();
    expect(unenforceableSchemaParts({ type: "integer", minimum: 5 })[0]?.message).toMatch(/^bounds the grammar cannot write out \(minimum 5/);
    expect(unenforceableSchemaParts({ type: "number", minimum: -1, maximum: 1 })).toHaveLength(1);
  });

  it("refuses a required property the grammar would never write, and counts that contradict", () => {
    const problems = unenforceableSchemaParts({
      type: "object",
      required: ["title", "tags"],
      properties: { title: { type: "string", minLength: 5, maxLength: 2 } },
    });
    expect(problems.map((p) => [p.pointer, p.message])).toEqual([
      ["/properties/title/minLength", "is greater than maxLength: no answer could satisfy both"],
      ["/required", '"tags" is required but not in "properties"'],
    ]);
  });

  it("refuses a keyword of a type the schema does not declare, and enum values of another type", () => {
    expect(unenforceableSchemaParts({ type: "string", maxItems: 3 })[0]?.message).toBe('"maxItems" applies to type "array", which this schema does not declare');
    expect(unenforceableSchemaParts({ type: "string", enum: ["a", 1] })[0]?.message).toBe("has a value that is not of the declared type string");
  });

  it("check-config fails such a task schema with the file, the pointer and the reason (the example of docs/PROVIDERS.md)", async () => {
    const dir = tempDir();
    const schema = {
      type: "object",
      required: ["winner_id", "score"],
      properties: { winner_id: { type: "string", pattern: "^c[0-9]+$" }, score: { type: "integer", minimum: 1, maximum: 10 } },
    };
    writeFile(dir, "judge.json", JSON.stringify(schema));
    const text = minimalWith('[tasks.judge]\noutput = "json_schema"\nschema_file = "judge.json"\n');
    const path = writeFile(dir, "llm-pool.toml", text);
    const result = await checkConfig(path, { env: {} });
    expect(result.ok).toBe(false);
    const where = `${path}:${lineOf(text, "schema_file")}:1 tasks.judge.schema_file: ${join(dir, "judge.json")}`;
    expect(result.output.split("\n")).toEqual([
      `${where} at /properties/winner_id/pattern: "pattern" is not enforced by the engines' JSON grammar, so the model could write an answer the validator refuses; use only type, enum, const, minLength, maxLength, minimum, maximum, properties, required, additionalProperties, items, minItems, maxItems (and annotations)`,
      `${where} at /properties/score: bounds the grammar cannot write out (minimum 1, maximum 10); supported: none, minimum 0, or for numbers minimum 0 with maximum 1`,
      `${path}: 2 problems`,
    ]);
    // The same lines as docs/PROVIDERS.md shows.
    const doc = readFileSync(join(CONFIGS_DIR, "../docs/PROVIDERS.md"), "utf8");
    for (const line of result.output.split("\n").slice(0, 2)) expect(doc).toContain(line.slice(line.indexOf(" at /properties")));
  });
});
