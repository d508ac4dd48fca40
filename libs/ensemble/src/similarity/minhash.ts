import { seededRandom } from "@llm-pool/core";
import type { Similarity } from "../similarity.js";
import { hashString, mix32 } from "../seeded-random.js";
import { normalizeText, wordsOf } from "./normalize-text.js";

export interface MinHashOptions {
  /** Hash functions in a signature; the estimate's error shrinks as 1/sqrt(n). Default 128. */
  readonly numHashes?: number;
  /** Words per shingle. Default 2. A text shorter than this is one shingle. */
  readonly shingleSize?: number;
  /** Seeds the hash family, so signatures are the same on every run and machine. */
  readonly seed?: number;
}

const CACHE_LIMIT = 256;

/**
 * MinHash estimate of the Jaccard similarity of two texts' word shingles
 * (after `normalizeText`). Word order matters only inside a shingle, so
 * reordered sentences still score high, unlike Levenshtein.
 */
export class MinHash implements Similarity {
  readonly #salts: Uint32Array;
  readonly #shingleSize: number;
  // Candidates are compared pairwise, so each text's signature is reused n-1 times.
  readonly #cache = new Map<string, Uint32Array | null>();

  constructor(options: MinHashOptions = {}) {
    const numHashes = options.numHashes ?? 128;
    if (!Number.isInteger(numHashes) || numHashes < 1) throw new RangeError("numHashes must be a positive integer");
    this.#shingleSize = Math.max(1, Math.floor(options.shingleSize ?? 2));
    const random = seededRandom(options.seed ?? 0x5eed);
    this.#salts = Uint32Array.from({ length: numHashes }, () => Math.floor(random() * 4_294_967_296));
  }

  score(a: string, b: string): number {
    const sa = this.signature(a);
    const sb = this.signature(b);
    if (sa === null || sb === null) return sa === sb ? 1 : 0;
    let same = 0;
    for (let i = 0; i < sa.length; i++) if (sa[i] === sb[i]) same++;
    return same / sa.length;
  }

  /** The signature of a text, or null when it has no words. */
  signature(text: string): Uint32Array | null {
    const cached = this.#cache.get(text);
    if (cached !== undefined) return cached;
    const shingles = shinglesOf(text, this.#shingleSize);
    let signature: Uint32Array | null = null;
    if (shingles.size > 0) {
      signature = new Uint32Array(this.#salts.length).fill(0xffffffff);
      for (const shingle of shingles) {
        const base = hashString(shingle);
        for (let i = 0; i < this.#salts.length; i++) {
          const h = mix32(base ^ this.#salts[i]!);
          if (h < signature[i]!) signature[i] = h;
        }
      }
    }
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(text, signature);
    return signature;
  }
}

/** The set of `size`-word shingles of the normalised text. */
export function shinglesOf(text: string, size: number): Set<string> {
  const words = wordsOf(normalizeText(text));
  if (words.length === 0) return new Set();
  if (words.length <= size) return new Set([words.join(" ")]);
  const out = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(" "));
  return out;
}

/** Exact Jaccard similarity of two sets; 1 when both are empty. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}
