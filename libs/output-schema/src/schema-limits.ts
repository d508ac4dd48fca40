/**
 * How much work a JSON Schema may ask of the validator. A client's schema is
 * untrusted code for the validator, so every dimension that can make compiling
 * or validating expensive has a ceiling; a task schema from config gets the
 * same ones, so an operator learns at load time what a client would at request
 * time.
 */
export interface SchemaLimits {
  /** Nesting of objects and arrays in the schema document. */
  readonly maxDepth: number;
  /** JSON values in the schema document, keywords and data alike (enums count every member). */
  readonly maxValues: number;
  /**
   * Subschemas with every local `$ref` replaced by its target: what one answer
   * value can be checked against at most. A chain of `$ref`s that reuse each
   * other twice doubles this at each step, so it is what stops that blow-up.
   */
  readonly maxExpandedSubschemas: number;
  /** A `pattern` or a `patternProperties` key, in RE2 program steps as estimated from its text. */
  readonly maxPatternSize: number;
  /** Every pattern of the schema together, in the same steps. */
  readonly maxTotalPatternSize: number;
}

/** How much of an answer is checked against a schema; past these the answer is invalid. */
export interface InstanceLimits {
  /** Characters of the answer's text. */
  readonly maxChars: number;
  /** Nesting of the answer's objects and arrays. */
  readonly maxDepth: number;
  /** JSON values in the answer. */
  readonly maxValues: number;
  /**
   * Work per answer, in units of roughly a microsecond: each pattern test costs
   * (characters tested + 1) x a factor of the pattern's size (RE2 is linear in
   * the text, but not free), and each pair of objects or arrays `uniqueItems`
   * compares costs one. Past it the answer is invalid, not checked further.
   */
  readonly workBudget: number;
}

export const DEFAULT_SCHEMA_LIMITS: SchemaLimits = Object.freeze({
  maxDepth: 32,
  maxValues: 1_024,
  maxExpandedSubschemas: 256,
  maxPatternSize: 256,
  maxTotalPatternSize: 1_024,
});

export const DEFAULT_INSTANCE_LIMITS: InstanceLimits = Object.freeze({
  maxChars: 262_144,
  maxDepth: 64,
  maxValues: 4_096,
  workBudget: 32_768,
});
