import { describe, expect, it } from "vitest";
import { createSimilarityChooser } from "./choose.js";
import { createTextSimilarity } from "./text-blend.js";

describe("choosing a similarity by output format (R-ENS-2)", () => {
  const choose = createSimilarityChooser();

  it("uses canonical JSON for json and json_schema outputs", () => {
    for (const output of [{ kind: "json" }, { kind: "json_schema", schema: {} }] as const) {
      expect(choose(output).score('{"a":1,"b":2}', '{"b":2,"a":1}')).toBe(1);
    }
  });

  it("blends Levenshtein and MinHash for text", () => {
    const text = choose({ kind: "text" });
    expect(text.score("Soft light, slow camera.", "soft light slow camera")).toBe(1);
    const a = "soft light and a slow camera over the city at night";
    const b = "soft light and a slow camera over the city at dusk";
    const score = text.score(a, b);
    expect(score).toBeGreaterThan(0.8);
    expect(score).toBeLessThan(1);
    expect(text.score("completely different words here", "nothing shared at all")).toBeLessThan(0.5);
  });

  it("uses MinHash alone past the Levenshtein length cap", () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const a = words.join(" ");
    const b = [...words.slice(20), ...words.slice(0, 20)].join(" ");
    const capped = createTextSimilarity({ maxLevenshteinChars: 10 });
    const uncapped = createTextSimilarity();
    // Reordered halves: shingles barely change, edits are many.
    expect(capped.score(a, b)).toBeGreaterThan(uncapped.score(a, b));
  });
});
