import type { Similarity } from "../similarity.js";
import { levenshteinRatio } from "./levenshtein.js";
import { MinHash } from "./minhash.js";
import { normalizeText } from "./normalize-text.js";

export interface TextBlendOptions {
  /** Share of the Levenshtein ratio in the blend; the rest is MinHash. Default 0.5. */
  readonly levenshteinWeight?: number;
  /**
   * Above this many characters (after normalising) Levenshtein's quadratic
   * cost is not worth it and MinHash alone decides. Default 2000.
   */
  readonly maxLevenshteinChars?: number;
  readonly minHash?: MinHash;
}

/**
 * The similarity for free text: the mean of the Levenshtein ratio (catches
 * small edits, typos, punctuation) and MinHash over word shingles (catches
 * reordered sentences). Long texts use MinHash alone.
 */
export function createTextSimilarity(options: TextBlendOptions = {}): Similarity {
  const weight = Math.min(1, Math.max(0, options.levenshteinWeight ?? 0.5));
  const maxChars = options.maxLevenshteinChars ?? 2000;
  const minHash = options.minHash ?? new MinHash();
  return {
    score(a: string, b: string): number {
      const na = normalizeText(a);
      const nb = normalizeText(b);
      if (na === nb) return 1;
      const shingles = minHash.score(na, nb);
      if (na.length > maxChars || nb.length > maxChars) return shingles;
      return weight * levenshteinRatio(na, nb) + (1 - weight) * shingles;
    },
  };
}
