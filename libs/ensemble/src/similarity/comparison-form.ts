/** A parsed JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The form two JSON answers are compared in: object keys sorted,
 * numbers rounded to 12 significant digits (and -0 made 0), strings folded
 * (NFKC, lower case, whitespace collapsed and trimmed). Only comparisons use
 * it; the answer a client gets is the engine's own text.
 */
export function comparisonForm(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return foldNumber(value);
  if (typeof value === "string") return foldString(value);
  if (Array.isArray(value)) return value.map(comparisonForm);
  if (typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) out[key] = comparisonForm((value as Record<string, unknown>)[key]);
    return out;
  }
  return null;
}

/** The JSON text of a value's comparison form: answers that compare equal give equal strings. */
export function comparisonJson(value: unknown): string {
  return JSON.stringify(comparisonForm(value));
}

/** Parses JSON text, or returns undefined when it is not JSON. */
export function parseJson(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function foldNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const rounded = Number(n.toPrecision(12));
  return rounded === 0 ? 0 : rounded;
}

function foldString(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}
