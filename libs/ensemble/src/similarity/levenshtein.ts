import type { Similarity } from "../similarity.js";
import { normalizeText } from "./normalize-text.js";

/** Edit distance (insertions, deletions, substitutions) between two strings, by code point. */
export function levenshteinDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length < t.length) return distance(t, s);
  return distance(s, t);
}

/** 1 - distance / longer length: 1 for equal strings (two empty strings included). */
export function levenshteinRatio(a: string, b: string): number {
  const longer = Math.max(Array.from(a).length, Array.from(b).length);
  return longer === 0 ? 1 : 1 - levenshteinDistance(a, b) / longer;
}

/** Levenshtein ratio of the normalised texts (see `normalizeText`). */
export const levenshteinSimilarity: Similarity = {
  score(a: string, b: string): number {
    return levenshteinRatio(normalizeText(a), normalizeText(b));
  },
};

// Two rows of the classic table; `t` is the shorter string so the rows stay small.
function distance(s: readonly string[], t: readonly string[]): number {
  let previous = new Uint32Array(t.length + 1);
  let current = new Uint32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) previous[j] = j;
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[t.length]!;
}
