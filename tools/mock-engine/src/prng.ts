import { createHash } from "node:crypto";

/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to make mock runs repeatable. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SHA-256 of the parts, joined by NUL so ("ab","c") and ("a","bc") differ. */
export function hashHex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** A 32-bit seed derived from the parts. */
export function seedFrom(...parts: string[]): number {
  return Number.parseInt(hashHex(...parts).slice(0, 8), 16);
}
