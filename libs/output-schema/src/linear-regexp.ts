import type { CodeOptions } from "ajv";
import { RE2JS } from "re2js";
import { estimatePatternSize } from "./pattern-size.js";
import { spend, type WorkMeter } from "./work-meter.js";

type RegExpEngine = NonNullable<CodeOptions["regExp"]>;

// Below this size a pattern costs about the same per character whatever it is.
const SIZE_PER_COST_STEP = 32;

/**
 * Ajv's `code.regExp` backed by RE2JS, a pure-JavaScript port of RE2: no
 * backtracking, so `^(a+)+$` cannot freeze the event loop, and no native build.
 * Patterns use RE2 syntax, translated from JavaScript's (named groups, `\u{…}`);
 * lookaround and backreferences are refused when the schema is compiled.
 * Every test spends from `meter`: (characters + 1) × a factor of the pattern's size.
 */
export function linearRegExp(meter: WorkMeter, maxPatternSize: number): RegExpEngine {
  const engine = (pattern: string): { test(text: string): boolean; toString(): string } => {
    const size = estimatePatternSize(pattern);
    if (size > maxPatternSize) throw new Error(`pattern "${preview(pattern)}" is too large (about ${size} steps; the limit is ${maxPatternSize})`);
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (error) {
      throw new Error(`pattern "${preview(pattern)}" is not supported: ${error instanceof Error ? error.message : String(error)}`);
    }
    const costPerChar = Math.max(1, Math.ceil(size / SIZE_PER_COST_STEP));
    return {
      test(text: string): boolean {
        spend(meter, (text.length + 1) * costPerChar);
        return compiled.test(text);
      },
      // Ajv keys its compiled patterns by this text.
      toString: () => `/${pattern}/`,
    };
  };
  // Only read when Ajv writes standalone code, which the pool never does.
  return Object.assign(engine, { code: "linearRegExp" });
}

function preview(pattern: string): string {
  return pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern;
}
