// The mock's token is a whitespace-separated word: easy to reason about in tests,
// and stable across APIs (the same text always has the same count).

export function countTokens(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** Splits text into pieces that each carry one word with the whitespace before it; joined, they give the text back (trailing whitespace aside). */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export interface Truncated {
  pieces: string[];
  text: string;
  /** True when `maxTokens` cut the text short. */
  cut: boolean;
}

/** Keeps at most `maxTokens` words; undefined means no limit. */
export function truncateTokens(text: string, maxTokens: number | undefined): Truncated {
  const all = splitTokens(text);
  const limit = maxTokens === undefined ? all.length : Math.max(0, maxTokens);
  const pieces = all.slice(0, limit);
  return { pieces, text: pieces.join(""), cut: pieces.length < all.length };
}
