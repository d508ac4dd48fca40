/**
 * A plain-text table: a header, a rule and one line per row; the first column
 * is left-aligned, the others right-aligned, every column as wide as its
 * widest cell.
 */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    widths.map((w, i) => (i === 0 ? (row[i] ?? "").padEnd(w) : (row[i] ?? "").padStart(w))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Milliseconds, rounded; "-" when not a number. */
export function ms(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v)) : "-";
}

/** A share as a percentage with one decimal. */
export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** `v / base` with two decimals; "-" when the base is not positive. */
export function ratio(v: number, base: number): string {
  return base > 0 && Number.isFinite(v) ? (v / base).toFixed(2) : "-";
}

/**
 * A total with what it is made of, largest part first: `12 (503×10, failed×2)`; the total alone when it is 0 or
 * has no parts.
 */
export function tally(total: number, parts: Readonly<Record<string, number>>): string {
  const listed = Object.entries(parts)
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b, "en", { numeric: true }));
  return listed.length === 0 ? String(total) : `${total} (${listed.map(([key, n]) => `${key}×${n}`).join(", ")})`;
}
