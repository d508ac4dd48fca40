import { describe, expect, it } from "vitest";
import { levenshteinDistance, levenshteinRatio, levenshteinSimilarity } from "./levenshtein.js";
import { normalizeText } from "./normalize-text.js";

describe("Levenshtein similarity (R-ENS-2)", () => {
  it("counts edits on known pairs", () => {
    expect(levenshteinDistance("kitten", "sitting")).toBe(3);
    expect(levenshteinDistance("flaw", "lawn")).toBe(2);
    expect(levenshteinDistance("", "abc")).toBe(3);
    expect(levenshteinDistance("same", "same")).toBe(0);
  });

  it("counts code points, not UTF-16 units", () => {
    expect(levenshteinDistance("a😀b", "a😃b")).toBe(1);
  });

  it("turns the distance into a ratio of the longer string", () => {
    expect(levenshteinRatio("kitten", "sitting")).toBeCloseTo(1 - 3 / 7, 12);
    expect(levenshteinRatio("", "")).toBe(1);
    expect(levenshteinRatio("abc", "xyz")).toBe(0);
  });

  it("ignores case, punctuation and extra whitespace", () => {
    expect(normalizeText("  Hello,   World!\n")).toBe("hello world");
    expect(levenshteinSimilarity.score("Hello, World!", "hello world")).toBe(1);
    expect(levenshteinSimilarity.score("Ambient slow-burn", "ambient slow burn")).toBe(1);
  });

  it("is symmetric", () => {
    expect(levenshteinSimilarity.score("night drive", "a night drive")).toBe(
      levenshteinSimilarity.score("a night drive", "night drive"),
    );
  });
});
