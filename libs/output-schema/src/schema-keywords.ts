// Where JSON Schema (draft-07 and 2020-12) puts subschemas, so a walk can tell a
// schema from data: `properties: {"$ref": {...}}` names a property, `enum: [{"$ref": "#"}]`
// is a value, and neither is a reference.

/** Keywords whose value is one subschema. */
export const SCHEMA_VALUED = new Set([
  "additionalItems",
  "additionalProperties",
  "contains",
  "contentSchema",
  "else",
  "if",
  "items",
  "not",
  "propertyNames",
  "then",
  "unevaluatedItems",
  "unevaluatedProperties",
]);

/** Keywords whose value is an array of subschemas (`items` too, in its draft-07 array form). */
export const SCHEMA_ARRAY_VALUED = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);

/** Keywords whose value maps names (or patterns) to subschemas; `dependencies` may also map to name lists. */
export const SCHEMA_MAP_VALUED = new Set(["$defs", "definitions", "dependencies", "dependentSchemas", "patternProperties", "properties"]);

/** Keywords whose value is data (compared against answers, or lists of property names), never a schema. */
export const DATA_VALUED = new Set(["const", "default", "dependentRequired", "enum", "examples"]);

/**
 * Keywords refused anywhere: each one changes what a reference resolves to, or
 * resolves at run time (dynamic scope), which makes a schema's work depend on
 * more than its own text. `$id` is allowed at the root only (see audit).
 */
export const REFUSED_KEYWORDS = new Set([
  "$anchor",
  "$dynamicAnchor",
  "$dynamicRef",
  "$recursiveAnchor",
  "$recursiveRef",
  "$vocabulary",
]);

/** `$schema` values understood, by the draft they select. Absent means draft-07. */
export const DIALECTS: Readonly<Record<string, "draft-07" | "2020-12">> = {
  "http://json-schema.org/draft-07/schema": "draft-07",
  "http://json-schema.org/draft-07/schema#": "draft-07",
  "https://json-schema.org/draft-07/schema": "draft-07",
  "https://json-schema.org/draft-07/schema#": "draft-07",
  "https://json-schema.org/draft/2020-12/schema": "2020-12",
  "https://json-schema.org/draft/2020-12/schema#": "2020-12",
};
