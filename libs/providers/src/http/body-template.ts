import type { BODY_PLACEHOLDERS } from "@llm-pool/config";

export type BodyPlaceholder = (typeof BODY_PLACEHOLDERS)[number];

/** The value of each placeholder for one call; null where the call has none (no seed, no known deadline). */
export type PlaceholderValues = Readonly<Record<BodyPlaceholder, string | number | null>>;

const WHOLE = /^\{\{\s*([a-z_]+)\s*\}\}$/;
const INLINE = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Fills a body template. A string that is exactly one placeholder takes the
 * value with its type (`"{{max_tokens}}"` becomes the number 64, `"{{seed}}"`
 * null when there is none); placeholders inside longer strings are spliced in
 * as text. Keys and non-string values are kept as written. The config has
 * already refused unknown placeholders.
 */
export function fillTemplate(template: unknown, values: PlaceholderValues): unknown {
  if (typeof template === "string") {
    const whole = WHOLE.exec(template);
    if (whole) return valueOf(values, whole[1]!, template);
    return template.replace(INLINE, (match, name: string) => {
      const value = valueOf(values, name, match);
      return value === null ? "" : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, values));
  if (template !== null && typeof template === "object") {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillTemplate(value, values)]));
  }
  return template;
}

function valueOf(values: PlaceholderValues, name: string, literal: string): string | number | null {
  return Object.hasOwn(values, name) ? values[name as BodyPlaceholder] : literal;
}
