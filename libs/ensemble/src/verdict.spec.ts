import { describe, expect, it } from "vitest";
import { createOutputValidator, parseOnlyValidator } from "./output-validator.js";
import { readVerdict } from "./verdict.js";

const IDS = ["A", "B", "C"];

describe("reading a judge's verdict (R-ENS-4)", () => {
  const validator = createOutputValidator();

  it("accepts a verdict naming one of the ids, with or without a code fence", () => {
    const text = '{"winner_id":" B ","confidence":0.6,"reason":"closest to the brief"}';
    const expected = { ok: true, winnerId: "B", confidence: 0.6, reason: "closest to the brief" };
    expect(readVerdict(text, IDS, validator)).toEqual(expected);
    expect(readVerdict("```json\n" + text + "\n```", IDS, validator)).toEqual(expected);
  });

  it("refuses what is not a usable verdict, saying why", () => {
    const problems = [
      ["B", "output is not valid JSON"],
      ['{"winner_id":"B"}', "output does not match the task's schema: (root) must have required property 'confidence'"],
      ['{"winner_id":"D","confidence":1,"reason":""}', 'winner_id "D" is not one of A, B, C'],
      ['{"winner_id":null,"confidence":1,"reason":"all break policy"}', "the judge chose no answer (winner_id null)"],
    ];
    for (const [text, problem] of problems) expect(readVerdict(text!, IDS, validator)).toEqual({ ok: false, problem });
  });

  it("never lets a malformed verdict through, even with a lenient validator", () => {
    expect(readVerdict("[]", IDS, parseOnlyValidator)).toEqual({ ok: false, problem: "winner_id is not a string" });
    expect(readVerdict("null", IDS, parseOnlyValidator)).toEqual({ ok: false, problem: "the verdict is not an object" });
    expect(readVerdict('{"winner_id":"A","confidence":7}', IDS, parseOnlyValidator)).toEqual({
      ok: true,
      winnerId: "A",
      confidence: 1,
      reason: "",
    });
  });
});
