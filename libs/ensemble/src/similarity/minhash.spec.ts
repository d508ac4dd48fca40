import { describe, expect, it } from "vitest";
import { jaccard, MinHash, shinglesOf } from "./minhash.js";

const A = "warm pastel studio light with slow camera moves and soft focus on the subject";
const B = "warm pastel studio light with slow camera moves and sharp focus on the subject";

describe("MinHash Jaccard over word shingles (R-ENS-2)", () => {
  it("builds word shingles of the normalised text", () => {
    expect([...shinglesOf("The quick, brown fox", 2)]).toEqual(["the quick", "quick brown", "brown fox"]);
    expect([...shinglesOf("Hello!", 2)]).toEqual(["hello"]);
    expect(shinglesOf(" ... ", 2).size).toBe(0);
  });

  it("scores 1 for the same text and 0 for texts with no shingle in common", () => {
    const m = new MinHash();
    expect(m.score(A, A.toUpperCase())).toBe(1);
    expect(m.score("red green blue", "one two three")).toBe(0);
    expect(m.score("", "")).toBe(1);
    expect(m.score("", "words")).toBe(0);
  });

  it("estimates the exact Jaccard similarity", () => {
    const exact = jaccard(shinglesOf(A, 2), shinglesOf(B, 2));
    expect(exact).toBeCloseTo(11 / 15, 12);
    expect(Math.abs(new MinHash({ numHashes: 256 }).score(A, B) - exact)).toBeLessThan(0.1);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const first = new MinHash({ seed: 7 }).signature(A)!;
    expect(new MinHash({ seed: 7 }).signature(A)).toEqual(first);
    expect(new MinHash({ seed: 8 }).signature(A)).not.toEqual(first);
    expect(first).toHaveLength(128);
  });

  it("uses a fixed number of hash functions", () => {
    expect(new MinHash({ numHashes: 16 }).signature(A)).toHaveLength(16);
    expect(() => new MinHash({ numHashes: 0 })).toThrow(RangeError);
  });
});
