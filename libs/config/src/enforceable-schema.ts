// Which JSON Schema keywords a task's output schema may use: those the local engines turn into the
// grammar that constrains decoding. A keyword the grammar ignores lets the model write an answer the
// pool's validator then refuses (every attempt fails, and the client sees "unavailable"), so
// check-config refuses such a schema up front instead.

/** Bounds on a number or integer that the pool's grammar writes out exactly. */
export type NumberRange = "any" | "non_negative" | "unit_interval";

export interface SchemaProblem {
  /** JSON Pointer into the schema ("" is the root). */
  readonly pointer: string;
  readonly message: string;
}

const TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"] as const;
type JsonType = (typeof TYPES)[number];

/** Words that describe and never constrain: allowed anywhere. */
const ANNOTATIONS = ["description", "title", "default", "examples", "$comment", "$schema"];

/** The constraining keywords the grammar enforces, by the JSON type they apply to. */
const KEYWORDS_BY_TYPE: Readonly<Record<JsonType, readonly string[]>> = {
  string: ["minLength", "maxLength"],
  number: ["minimum", "maximum"],
  integer: ["minimum", "maximum"],
  boolean: [],
  null: [],
  object: ["properties", "required", "additionalProperties"],
  array: ["items", "minItems", "maxItems"],
};

export const ENFORCEABLE_KEYWORDS: readonly string[] = [
  "type",
  "enum",
  "const",
  ...new Set(Object.values(KEYWORDS_BY_TYPE).flat()),
];

/**
 * The range a number or integer schema allows, when the grammar can write it out: any value,
 * `minimum: 0` (non-negative), or for numbers `minimum: 0, maximum: 1` (a share or a confidence).
 * Undefined for any other bounds.
 */
export function numberRange(schema: Readonly<Record<string, unknown>>): NumberRange | undefined {
  const { minimum, maximum } = schema;
  if (minimum === undefined && maximum === undefined) return "any";
  if (minimum === 0 && maximum === undefined) return "non_negative";
  if (minimum === 0 && maximum === 1 && typeTags(schema).includes("number")) return "unit_interval";
  return undefined;
}

/** The schema's `type` as a list (empty when it has none). */
export function typeTags(schema: Readonly<Record<string, unknown>>): string[] {
  const { type } = schema;
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

/** Everything in `schema` the grammar cannot enforce, each with where it is and why. */
export function unenforceableSchemaParts(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  visit(schema, "", problems);
  return problems;
}

function visit(node: unknown, pointer: string, problems: SchemaProblem[]): void {
  const add = (where: string, message: string) => problems.push({ pointer: where, message });
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    add(pointer, "must be a schema object");
    return;
  }
  const schema = node as Record<string, unknown>;
  const types = typeTags(schema);
  const hasValues = "enum" in schema || "const" in schema;

  if ("type" in schema) {
    const declared = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (declared.length === 0 || declared.some((t) => !(TYPES as readonly unknown[]).includes(t)) || new Set(declared).size !== declared.length) {
      add(`${pointer}/type`, `must be one of ${TYPES.join(", ")}, or a list of distinct ones`);
    }
  } else if (!hasValues) {
    add(pointer, 'needs a "type" (or "enum"/"const"): the grammar cannot guess what to write');
  }

  const allowed = new Set<string>(["type", "enum", "const", ...ANNOTATIONS, ...types.flatMap((t) => KEYWORDS_BY_TYPE[t as JsonType] ?? [])]);
  for (const keyword of Object.keys(schema)) {
    if (allowed.has(keyword)) continue;
    const owner = TYPES.find((t) => KEYWORDS_BY_TYPE[t].includes(keyword));
    add(
      `${pointer}/${escape(keyword)}`,
      owner && !types.includes(owner)
        ? `"${keyword}" applies to type "${owner}", which this schema does not declare`
        : `"${keyword}" is not enforced by the engines' JSON grammar, so the model could write an answer the validator refuses; use only ${ENFORCEABLE_KEYWORDS.join(", ")} (and annotations)`,
    );
  }

  if ("enum" in schema) {
    const values = schema.enum;
    if (!Array.isArray(values) || values.length === 0 || !values.every(isPrimitive)) {
      add(`${pointer}/enum`, "must be a non-empty list of strings, numbers, booleans or null");
    } else if (types.length > 0 && values.some((v) => !types.some((t) => fitsType(v, t)))) {
      add(`${pointer}/enum`, `has a value that is not of the declared type ${types.join(" or ")}`);
    }
  }
  if ("const" in schema && !isPrimitive(schema.const)) add(`${pointer}/const`, "must be a string, number, boolean or null");

  if (types.includes("integer") || types.includes("number")) {
    if (numberRange(schema) === undefined) {
      const bounds = (["minimum", "maximum"] as const).filter((k) => k in schema).map((k) => `${k} ${String(schema[k])}`);
      add(pointer, `bounds the grammar cannot write out (${bounds.join(", ")}); supported: none, minimum 0, or for numbers minimum 0 with maximum 1`);
    }
  }
  checkCount(schema, "minLength", "maxLength", pointer, add);
  checkCount(schema, "minItems", "maxItems", pointer, add);

  if (types.includes("object")) {
    const properties = schema.properties;
    const names = new Set<string>();
    if (properties !== undefined) {
      if (properties === null || typeof properties !== "object" || Array.isArray(properties)) add(`${pointer}/properties`, "must be an object of schemas");
      else {
        for (const [name, child] of Object.entries(properties)) {
          names.add(name);
          visit(child, `${pointer}/properties/${escape(name)}`, problems);
        }
      }
    }
    const required = schema.required;
    if (required !== undefined) {
      if (!Array.isArray(required) || !required.every((r) => typeof r === "string")) add(`${pointer}/required`, "must be a list of property names");
      else {
        // The grammar writes only the properties it knows; a required name it does not know never appears.
        required.filter((name) => !names.has(name)).forEach((name) => add(`${pointer}/required`, `"${name}" is required but not in "properties"`));
      }
    }
    const extra = schema.additionalProperties;
    if (extra !== undefined && typeof extra !== "boolean") visit(extra, `${pointer}/additionalProperties`, problems);
  }
  if (types.includes("array") && schema.items !== undefined) visit(schema.items, `${pointer}/items`, problems);
}

function checkCount(schema: Record<string, unknown>, low: string, high: string, pointer: string, add: (where: string, message: string) => void): void {
  for (const key of [low, high]) {
    const value = schema[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) add(`${pointer}/${key}`, "must be a whole number >= 0");
  }
  const min = schema[low];
  const max = schema[high];
  if (typeof min === "number" && typeof max === "number" && min > max) add(`${pointer}/${low}`, `is greater than ${high}: no answer could satisfy both`);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function fitsType(value: unknown, type: string): boolean {
  if (type === "null") return value === null;
  if (type === "integer") return Number.isInteger(value);
  return typeof value === type;
}

/** JSON Pointer escaping (RFC 6901). */
function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
