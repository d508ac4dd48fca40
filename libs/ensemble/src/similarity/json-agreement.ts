import type { Similarity } from "../similarity.js";
import { comparisonForm, comparisonJson, parseJson, type JsonValue } from "./comparison-form.js";
import { jaccard } from "./minhash.js";
import { createTextSimilarity } from "./text-blend.js";

/**
 * Per-field agreement of two JSON answers, in their `comparisonForm`:
 * - objects: the mean, over the union of their keys, of each field's
 *   agreement; a field only one side has scores 0 (two empty objects agree);
 * - arrays of scalars (terms, tags, rankings): the mean of the Jaccard
 *   similarity of their element sets and of their order agreement (longest
 *   common subsequence / longer length), so the same tags in another order
 *   score high while a ranking in another order does not score 1;
 * - arrays holding objects or arrays: position by position, the mean over
 *   the longer one (a missing element scores 0);
 * - strings: the text similarity (Levenshtein + MinHash blend);
 * - numbers: 1 - |a - b| / max(|a|, |b|), never below 0;
 * - booleans and null: equal or not; values of different types: 0.
 */
export function jsonAgreement(a: JsonValue, b: JsonValue, text: Similarity): number {
  if (a === null || b === null || typeof a === "boolean" || typeof b === "boolean") return a === b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") return numberAgreement(a, b);
  if (typeof a === "string" && typeof b === "string") return a === b ? 1 : text.score(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return arrayAgreement(a as JsonValue[], b as JsonValue[], text);
  if (isObject(a) && isObject(b)) return objectAgreement(a, b, text);
  return 0;
}

/**
 * The similarity for JSON outputs: 1 when the comparison forms are equal,
 * else the per-field agreement. A text that is not JSON (it would have been
 * rejected by validation, but the metric stays total) is compared as text.
 */
export function createJsonSimilarity(text: Similarity = createTextSimilarity()): Similarity {
  return {
    score(a: string, b: string): number {
      const pa = parseJson(a);
      const pb = parseJson(b);
      if (!pa || !pb) return text.score(a, b);
      const ca = comparisonForm(pa.value);
      const cb = comparisonForm(pb.value);
      if (comparisonJson(ca) === comparisonJson(cb)) return 1;
      return jsonAgreement(ca, cb, text);
    },
  };
}

function isObject(v: JsonValue): v is { readonly [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function numberAgreement(a: number, b: number): number {
  if (a === b) return 1;
  return Math.max(0, 1 - Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
}

function objectAgreement(
  a: { readonly [key: string]: JsonValue },
  b: { readonly [key: string]: JsonValue },
  text: Similarity,
): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  if (keys.length === 0) return 1;
  let sum = 0;
  for (const key of keys) {
    if (key in a && key in b) sum += jsonAgreement(a[key]!, b[key]!, text);
  }
  return sum / keys.length;
}

function arrayAgreement(a: readonly JsonValue[], b: readonly JsonValue[], text: Similarity): number {
  if (a.length === 0 && b.length === 0) return 1;
  const nested = (v: JsonValue) => typeof v === "object" && v !== null;
  if (a.some(nested) || b.some(nested)) {
    let sum = 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) sum += jsonAgreement(a[i]!, b[i]!, text);
    return sum / Math.max(a.length, b.length);
  }
  const ka = a.map((v) => JSON.stringify(v));
  const kb = b.map((v) => JSON.stringify(v));
  const order = longestCommonSubsequence(ka, kb) / Math.max(ka.length, kb.length);
  return (jaccard(new Set(ka), new Set(kb)) + order) / 2;
}

function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    previous = current;
  }
  return previous[b.length]!;
}
