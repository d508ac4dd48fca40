/**
 * A tiny JSON-path subset for reading engine answers: `$.a.b[0].c` or, as the
 * config writes it, `a.b[0].c`. Keys are dotted names, `[n]` indexes arrays.
 * No wildcards, filters or quoting: an answer field is one fixed place.
 */
export type JsonPath = readonly (string | number)[];

const STEP = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d+\])*)$/;

/** Parses a path; throws on anything outside the subset, so a bad path fails at driver construction. */
export function parseJsonPath(text: string): JsonPath {
  const body = text.startsWith("$.") ? text.slice(2) : text === "$" ? "" : text;
  if (body === "") return [];
  const path: (string | number)[] = [];
  for (const step of body.split(".")) {
    const match = STEP.exec(step);
    if (!match) throw new Error(`"${text}" is not a supported JSON path (expected e.g. "choices[0].message.content")`);
    path.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/** The value at `path`, or undefined when any step is missing or of the wrong type. */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

export function formatJsonPath(path: JsonPath): string {
  return path.reduce<string>((text, step) => (typeof step === "number" ? `${text}[${step}]` : text ? `${text}.${step}` : step), "");
}
