// Builds a value that satisfies a (simple) JSON schema, so an engine asked for structured output
// answers with something a validator accepts. Covers the common keywords: type, properties,
// items, enum, const, anyOf/oneOf/allOf (first branch), minimum/maximum, minItems/maxItems, maxLength.

import type { Random } from "./prng.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export interface InstanceSource {
  /** A short phrase for string fields. */
  phrase(): string;
  random: Random;
}

function typeOf(schema: Obj): string | undefined {
  const t = schema["type"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === "string" && x !== "null") ?? "null";
  if (isObj(schema["properties"])) return "object";
  if (schema["items"] !== undefined) return "array";
  return undefined;
}

export function schemaInstance(schema: unknown, source: InstanceSource, depth = 0): unknown {
  if (!isObj(schema) || depth > 8) return null;
  if ("const" in schema) return schema["const"];
  const choices = schema["enum"];
  if (Array.isArray(choices) && choices.length > 0) return choices[Math.floor(source.random() * choices.length)];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return schemaInstance(branches[0], source, depth + 1);
  }
  switch (typeOf(schema)) {
    case "object": {
      const props = isObj(schema["properties"]) ? schema["properties"] : {};
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, schemaInstance(s, source, depth + 1)]));
    }
    case "array": {
      const min = num(schema["minItems"]) ?? 1;
      const count = Math.min(Math.max(1, min), num(schema["maxItems"]) ?? Infinity, 8);
      return Array.from({ length: count }, () => schemaInstance(schema["items"], source, depth + 1));
    }
    case "string": {
      const text = source.phrase();
      const maxLength = num(schema["maxLength"]);
      return maxLength === undefined ? text : text.slice(0, maxLength);
    }
    case "integer":
    case "number": {
      const lo = num(schema["minimum"]) ?? 0;
      const hi = Math.max(lo, num(schema["maximum"]) ?? lo + 100);
      const value = lo + source.random() * (hi - lo);
      return typeOf(schema) === "integer" ? Math.min(hi, Math.ceil(value)) : Math.round(value * 100) / 100;
    }
    case "boolean":
      return source.random() < 0.5;
    default:
      return null;
  }
}
