// R-SDK-4: the shared vectors in testdata/vectors decode and re-encode
// identically in TypeScript (the Python and Rust packages run the same check).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromBinary, fromJson, toBinary, toJson, type DescMessage } from "@bufbuild/protobuf";
import { AnswerSchema, HealthResponseSchema, QuerySchema } from "./index.js";

const dir = join(import.meta.dirname, "../../../testdata/vectors");
const schemaFor: Record<string, DescMessage> = {
  query: QuerySchema,
  answer: AnswerSchema,
  health: HealthResponseSchema,
};

const names = readdirSync(dir)
  .filter((f) => f.endsWith(".binpb"))
  .map((f) => f.slice(0, -".binpb".length));

describe("shared test vectors", () => {
  it("covers at least two Query and two Answer vectors", () => {
    expect(names.filter((n) => n.startsWith("query-")).length).toBeGreaterThanOrEqual(2);
    expect(names.filter((n) => n.startsWith("answer-")).length).toBeGreaterThanOrEqual(2);
  });

  for (const name of names) {
    const schema = schemaFor[name.split("-")[0]!]!;
    const binary = new Uint8Array(readFileSync(join(dir, `${name}.binpb`)));
    const json = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));

    it(`${name}: binary decodes and re-encodes byte for byte`, () => {
      expect(Buffer.from(toBinary(schema, fromBinary(schema, binary)))).toEqual(Buffer.from(binary));
    });

    it(`${name}: JSON decodes to the same message as the binary and re-encodes equal`, () => {
      const fromText = fromJson(schema, json);
      expect(Buffer.from(toBinary(schema, fromText))).toEqual(Buffer.from(binary));
      expect(toJson(schema, fromText)).toEqual(json);
    });
  }
});
