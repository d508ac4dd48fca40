import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { InferRequestSchema, QuerySchema } from "@llm-pool/contract";
import { describe, expect, it } from "vitest";
import { jsonDecodeError } from "./json-errors.js";

function errorFor(schema: typeof QuerySchema | typeof InferRequestSchema, json: JsonValue) {
  try {
    fromJson(schema as typeof QuerySchema, json);
  } catch (error) {
    const poolError = jsonDecodeError(schema, json, error);
    return { field: poolError.field, message: poolError.message, code: poolError.code };
  }
  throw new Error("expected a decode error");
}

describe("jsonDecodeError", () => {
  it("R-API-4: names the enum field of an unknown enum name, nested ones by path", () => {
    expect(errorFor(QuerySchema, { strategy: "STRATEGY_BEST" })).toEqual({
      code: "invalid_argument",
      field: "strategy",
      message: 'strategy: unknown value "STRATEGY_BEST"',
    });
    expect(errorFor(InferRequestSchema, { query: { output: { kind: "XML" } } })).toMatchObject({ field: "query.output.kind" });
  });

  it("R-API-4: names an unknown key", () => {
    expect(errorFor(QuerySchema, { deadline: 3 })).toMatchObject({ field: "body", message: 'body: unknown field "deadline"' });
  });

  it("R-API-4: names the field of a value of the wrong type", () => {
    expect(errorFor(QuerySchema, { max_tokens: "many" })).toMatchObject({
      field: "max_tokens",
      message: 'max_tokens: expected number (uint32), got "many"',
    });
    expect(errorFor(InferRequestSchema, { query: { deadlineMs: -1 } })).toMatchObject({ field: "query.deadline_ms" });
  });

  it("R-API-4: anything else is about the body, with protobuf-es' reason", () => {
    const error = errorFor(QuerySchema, ["not", "an", "object"]);
    expect(error.field).toBe("body");
    expect(error.message).toMatch(/^body: cannot decode message vvtv\.llmpool\.v1\.Query from JSON/);
  });
});
