import { describe, expect, it } from "vitest";
import { comparisonForm, comparisonJson } from "./comparison-form.js";
import { createJsonSimilarity } from "./json-agreement.js";
import { createTextSimilarity } from "./text-blend.js";

const json = createJsonSimilarity();

describe("the comparison form of JSON answers and per-field agreement (R-ENS-2)", () => {
  it("sorts keys and normalises numbers and strings", () => {
    expect(comparisonJson({ b: 1.0, a: "  Night   Drive " })).toBe('{"a":"night drive","b":1}');
    expect(comparisonJson(JSON.parse('{"x": -0, "y": 0.30000000000000004}'))).toBe('{"x":0,"y":0.3}');
    expect(comparisonForm([{ z: 1, y: [true, null] }])).toEqual([{ y: [true, null], z: 1 }]);
  });

  it("scores 1 for answers that differ only in key order, spacing or case", () => {
    expect(json.score('{"ranking":["c1","c2"],"reasons":["Pace"]}', '{ "reasons": ["pace"], "ranking": ["C1", "c2"] }')).toBe(1);
  });

  it("is the mean over the union of fields; a field only one side has scores 0", () => {
    expect(json.score('{"a":true,"b":false}', '{"a":true,"b":true}')).toBe(0.5);
    expect(json.score('{"a":true}', '{"a":true,"extra":true}')).toBe(0.5);
    // Numbers agree by relative difference: 1 - |2 - 3| / 3.
    expect(json.score('{"a":true,"n":2}', '{"a":true,"n":3}')).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it("compares arrays of scalars as sets and by order, so rankings in another order differ", () => {
    // Same set (Jaccard 1), longest common subsequence 2 of 3.
    expect(json.score('{"ranking":["c1","c2","c3"]}', '{"ranking":["c2","c3","c1"]}')).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // Half the set in common, in the same order: Jaccard 1/3, LCS 1/2.
    expect(json.score('{"tags":["a","b"]}', '{"tags":["a","c"]}')).toBeCloseTo((1 / 3 + 1 / 2) / 2, 12);
  });

  it("compares arrays of objects position by position", () => {
    const a = '{"steps":[{"action":"swap"},{"action":"note"}]}';
    const b = '{"steps":[{"action":"swap"}]}';
    expect(json.score(a, b)).toBe(0.5);
  });

  it("scores values of different types 0 and compares text that is not JSON as text", () => {
    expect(json.score('{"a":"1"}', '{"a":1}')).toBe(0);
    const text = createTextSimilarity();
    expect(json.score("not json", "not json!")).toBe(text.score("not json", "not json!"));
  });

  it("is symmetric on known pairs", () => {
    const pairs: [string, string][] = [
      ['{"a":[1,2,3],"b":"slow burn"}', '{"a":[3,2],"b":"slow-burn mood","c":null}'],
      ['{"steps":[{"x":1}],"eta":3}', '{"steps":[{"x":2},{"y":1}],"eta":4}'],
    ];
    for (const [a, b] of pairs) expect(json.score(a, b)).toBe(json.score(b, a));
  });
});
