/**
 * The text every text metric compares: Unicode-compatible forms folded
 * (NFKC), lower case, punctuation turned into spaces, runs of whitespace
 * collapsed, ends trimmed. "Hello,  World!" and "hello world" become equal.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\p{P}+/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

/** The words of normalised text. */
export function wordsOf(normalized: string): string[] {
  return normalized === "" ? [] : normalized.split(" ");
}
