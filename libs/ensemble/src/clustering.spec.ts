import { describe, expect, it } from "vitest";
import { clusterByThreshold, memoizedPairScore, type ClusterItem } from "./clustering.js";
import { seededShuffle } from "./seeded-random.js";
import type { Similarity } from "./similarity.js";

/** Similarity from a table keyed by the two texts; unlisted pairs score 0. */
function table(entries: Record<string, number>): Similarity {
  return {
    score: (a, b) => (a === b ? 1 : (entries[`${a}|${b}`] ?? entries[`${b}|${a}`] ?? 0)),
  };
}

function items(...texts: string[]): ClusterItem[] {
  return texts.map((text, i) => ({ id: `c${i + 1}`, order: i, text }));
}

describe("threshold clustering (R-ENS-2, R-ENS-5)", () => {
  it("links answers at or above the threshold and lets the largest cluster win", () => {
    const sim = table({ "x|x2": 0.8, "x|x3": 0.9, "x2|x3": 0.79, "y|x": 0.1 });
    const result = clusterByThreshold(items("y", "x", "x2", "x3"), memoizedPairScore(sim), 0.8);
    expect(result.winner.members.map((m) => m.id)).toEqual(["c2", "c3", "c4"]);
    expect(result.agreement).toBe(0.75);
    expect(result.clusters.map((c) => c.members.length)).toEqual([3, 1]);
  });

  it("lets the member earliest in provider order speak for the cluster, however central the others are", () => {
    const sim = table({ "a|b": 0.85, "a|c": 0.95, "b|c": 0.9 });
    // c is the most central (summed similarity 1.85 against a's 1.80), yet a comes first in the config.
    expect(clusterByThreshold(items("a", "b", "c"), memoizedPairScore(sim), 0.8).winner.representative.id).toBe("c1");
    expect(clusterByThreshold(items("y", "b", "c").slice(1), memoizedPairScore(sim), 0.8).winner.representative.id).toBe("c2");
  });

  it("breaks a size tie by cohesion, then by the earliest provider", () => {
    // Two pairs: {c1, c2} at 0.85 and {c3, c4} at 0.95: the tighter pair wins.
    const tighter = table({ "a|b": 0.85, "c|d": 0.95 });
    expect(clusterByThreshold(items("a", "b", "c", "d"), memoizedPairScore(tighter), 0.8).winner.members.map((m) => m.id)).toEqual([
      "c3",
      "c4",
    ]);
    // Equal cohesion: the pair holding the earliest provider wins.
    const equal = table({ "a|c": 0.9, "b|d": 0.9 });
    const result = clusterByThreshold(items("a", "b", "c", "d"), memoizedPairScore(equal), 0.8);
    expect(result.winner.members.map((m) => m.id)).toEqual(["c1", "c3"]);
    // All singletons: the first provider's answer wins the tie.
    expect(clusterByThreshold(items("p", "q", "r"), memoizedPairScore(table({})), 0.8).winner.representative.id).toBe("c1");
  });

  it("gives the same clusters whatever order the answers are listed in", () => {
    const sim = table({ "a|b": 0.9, "b|c": 0.85, "d|e": 0.9, "a|e": 0.5 });
    const base = items("a", "b", "c", "d", "e");
    const expected = JSON.stringify(clusterByThreshold(base, memoizedPairScore(sim), 0.8).clusters);
    for (let seed = 1; seed <= 50; seed++) {
      const shuffled = seededShuffle(base, seed);
      expect(JSON.stringify(clusterByThreshold(shuffled, memoizedPairScore(sim), 0.8).clusters)).toBe(expected);
    }
  });

  it("chains through a middle answer (single linkage)", () => {
    const sim = table({ "a|b": 0.85, "b|c": 0.85, "a|c": 0.5 });
    expect(clusterByThreshold(items("a", "b", "c"), memoizedPairScore(sim), 0.8).winner.members).toHaveLength(3);
  });

  it("computes each pair once per run", () => {
    let calls = 0;
    const score = memoizedPairScore({ score: () => (calls++, 0.9) });
    const list = items("a", "b", "c");
    clusterByThreshold(list, score, 0.8);
    clusterByThreshold(list.slice(0, 2), score, 0.8);
    expect(calls).toBe(3);
  });
});
