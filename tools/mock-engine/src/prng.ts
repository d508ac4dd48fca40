import { createHash } from "node:crypto";
import { seededRandom, type Random } from "@llm-pool/core";

export { seededRandom, type Random };

/** SHA-256 of the parts, joined by NUL so ("ab","c") and ("a","bc") differ. */
export function hashHex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** A 32-bit seed derived from the parts. */
export function seedFrom(...parts: string[]): number {
  return Number.parseInt(hashHex(...parts).slice(0, 8), 16);
}
