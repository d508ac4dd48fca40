import { describe, expect, it } from "vitest";
import { estimatePatternSize } from "./pattern-size.js";

describe("pattern size estimate", () => {
  it.each([
    ["^[a-z0-9-]+$", 4],
    ["^\\d{4}-\\d{2}-\\d{2}$", 20],
    ["a|b|c", 5],
    ["(?:ab){3}", 9],
    ["(?i)^[a-z]+$", 4],
    ["\\p{L}+", 2],
  ])("%s is about %i steps", (pattern, size) => {
    expect(estimatePatternSize(pattern)).toBe(size);
  });

  it("counted repetition multiplies, and nesting multiplies again", () => {
    expect(estimatePatternSize("a{100}")).toBeGreaterThanOrEqual(100);
    expect(estimatePatternSize("(a{10}){10}")).toBeGreaterThanOrEqual(100);
    expect(estimatePatternSize("((a{10}){10}){10}")).toBeGreaterThanOrEqual(1_000);
    expect(estimatePatternSize("(?:(?:a|b){1,20}\\s?){1,50}")).toBeGreaterThan(2_000);
  });

  it("absurd counts and unbalanced groups still give a finite number", () => {
    expect(estimatePatternSize("a{999999999}")).toBeGreaterThanOrEqual(100_000);
    expect(Number.isFinite(estimatePatternSize("((((a"))).toBe(true);
    expect(Number.isFinite(estimatePatternSize("a))))"))).toBe(true);
  });
});
