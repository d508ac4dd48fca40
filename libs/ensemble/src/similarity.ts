/**
 * Similarity scores how alike two outputs are, from 0 (unrelated) to 1 (the
 * same answer). VOTING and CONSENSUS cluster candidates with it (R-ENS-2).
 * Implementations are pure: symmetric, deterministic, no I/O. They live in
 * `similarity/`, one metric per file; `similarity/choose.ts` picks one for an
 * output format.
 */
export interface Similarity {
  score(a: string, b: string): number;
}
