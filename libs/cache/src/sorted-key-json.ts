/**
 * JSON text with object keys sorted at every depth, so two encodings of the
 * same value give the same bytes (and the same cache key). Array order is
 * kept: it is part of the value. `undefined` members are dropped, as
 * JSON.stringify does.
 */
export function sortedKeyJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
