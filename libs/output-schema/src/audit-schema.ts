import { measureJson } from "./json-shape.js";
import { resolveLocalRef } from "./local-ref.js";
import { estimatePatternSize } from "./pattern-size.js";
import { DATA_VALUED, DIALECTS, REFUSED_KEYWORDS, SCHEMA_ARRAY_VALUED, SCHEMA_MAP_VALUED, SCHEMA_VALUED } from "./schema-keywords.js";
import type { SchemaLimits } from "./schema-limits.js";

export type Dialect = "draft-07" | "2020-12";

export type Audit = { readonly ok: true; readonly dialect: Dialect } | { readonly ok: false; readonly reason: string };

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);

class Refusal extends Error {}

/**
 * Reads a schema before any validator compiles it, and refuses what would make
 * compiling or validating unbounded: too large or too deep a document, a
 * reference that is not local or that leads back to itself, keywords that
 * resolve references dynamically, and patterns too large for the linear-time
 * engine's budget. Reasons name the place in the schema as a JSON pointer.
 */
export function auditSchema(schema: unknown, limits: SchemaLimits): Audit {
  if (!isObject(schema) && typeof schema !== "boolean") return { ok: false, reason: "must be a JSON object" };
  const shape = measureJson(schema, limits.maxDepth, limits.maxValues);
  if (shape) return { ok: false, reason: `${shape}; the limits are depth ${limits.maxDepth} and ${limits.maxValues} values` };
  try {
    const dialect = dialectOf(schema);
    new SchemaWalk(schema, limits).size(schema, "");
    return { ok: true, dialect };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}

function dialectOf(schema: unknown): Dialect {
  if (!isObject(schema) || schema.$schema === undefined) return "draft-07";
  const dialect = typeof schema.$schema === "string" ? DIALECTS[schema.$schema] : undefined;
  if (!dialect) {
    throw new Refusal("$schema must name draft-07 (http://json-schema.org/draft-07/schema#) or 2020-12 (https://json-schema.org/draft/2020-12/schema)");
  }
  return dialect;
}

/**
 * Walks subschemas, following every `$ref` into its target, and sums the size
 * of the schema as if each reference were written out in place. A target
 * still being walked when it is reached again is a cycle (recursion); a
 * finished one is reused from memory, so the walk itself stays linear.
 */
class SchemaWalk {
  readonly #root: unknown;
  readonly #limits: SchemaLimits;
  readonly #sizes = new Map<object, number>();
  readonly #walking = new Set<object>();
  #patternTotal = 0;
  #expanded = 0;

  constructor(root: unknown, limits: SchemaLimits) {
    this.#root = root;
    this.#limits = limits;
  }

  size(node: unknown, at: string): number {
    if (!isObject(node)) {
      if (typeof node === "boolean") return this.#count(1, at);
      throw new Refusal(`${where(at)} is not a schema (an object or a boolean)`);
    }
    const known = this.#sizes.get(node);
    if (known !== undefined) return this.#count(known, at);
    if (this.#walking.has(node)) throw new Refusal(`${where(at)} refers back to a schema that contains it; recursive $ref is not supported`);
    this.#walking.add(node);
    const before = this.#expanded;
    this.#count(1, at);
    for (const [keyword, value] of Object.entries(node)) this.#keyword(node, keyword, value, `${at}/${escape(keyword)}`);
    this.#walking.delete(node);
    const size = this.#expanded - before;
    this.#sizes.set(node, size);
    return size;
  }

  #keyword(node: Obj, keyword: string, value: unknown, at: string): void {
    if (REFUSED_KEYWORDS.has(keyword)) throw new Refusal(`${where(at)}: ${keyword} is not supported`);
    if ((keyword === "$schema" || keyword === "$id") && node !== this.#root) {
      throw new Refusal(`${where(at)}: ${keyword} is only allowed at the root`);
    }
    if (keyword === "$ref") return this.#ref(value, at);
    if (keyword === "pattern" && typeof value === "string") return this.#pattern(value, at);
    if (DATA_VALUED.has(keyword)) return;
    if (SCHEMA_ARRAY_VALUED.has(keyword) && Array.isArray(value)) {
      value.forEach((item, i) => this.size(item, `${at}/${i}`));
    } else if (SCHEMA_MAP_VALUED.has(keyword) && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) {
        if (keyword === "patternProperties") this.#pattern(name, `${at}/${escape(name)}`);
        // `dependencies` may map a property to the names it requires rather than to a schema.
        if (keyword === "dependencies" && Array.isArray(sub)) continue;
        this.size(sub, `${at}/${escape(name)}`);
      }
    } else if (SCHEMA_VALUED.has(keyword)) {
      this.size(value, at);
    } else if (isObject(value)) {
      // Ajv reads identifiers inside unknown keywords too, so they are held to the same rules.
      this.size(value, at);
    }
  }

  #ref(ref: unknown, at: string): void {
    if (typeof ref !== "string") throw new Refusal(`${where(at)} must be a string`);
    const target = resolveLocalRef(this.#root, ref);
    if (!target.found) throw new Refusal(`${where(at)} "${ref.slice(0, 80)}" ${target.reason}`);
    if (isObject(target.target) && this.#walking.has(target.target)) {
      throw new Refusal(`${where(at)} "${ref.slice(0, 80)}" leads back to a schema that contains it; recursive $ref is not supported`);
    }
    // Problems inside the target are reported where the target is written.
    this.size(target.target, ref.slice(1));
  }

  #pattern(pattern: string, at: string): void {
    const size = estimatePatternSize(pattern);
    if (size > this.#limits.maxPatternSize) {
      throw new Refusal(`${where(at)}: the pattern is too large (about ${size} steps; the limit is ${this.#limits.maxPatternSize})`);
    }
    this.#patternTotal += size;
    if (this.#patternTotal > this.#limits.maxTotalPatternSize) {
      throw new Refusal(`${where(at)}: the schema's patterns together are too large (the limit is ${this.#limits.maxTotalPatternSize} steps)`);
    }
  }

  #count(size: number, at: string): number {
    this.#expanded += size;
    if (this.#expanded > this.#limits.maxExpandedSubschemas) {
      throw new Refusal(
        `${where(at)}: with every $ref written out the schema has more than ${this.#limits.maxExpandedSubschemas} subschemas`,
      );
    }
    return size;
  }
}

function escape(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function where(at: string): string {
  return at === "" ? "the schema" : `at ${at}`;
}
