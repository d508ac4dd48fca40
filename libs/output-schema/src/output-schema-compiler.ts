import { Ajv, type AnySchema, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { auditSchema, type Dialect } from "./audit-schema.js";
import { compiledSchema, type CompiledSchema } from "./compiled-schema.js";
import { linearRegExp } from "./linear-regexp.js";
import { boundedUniqueItems } from "./unique-items.js";
import type { WorkMeter } from "./work-meter.js";
import { DEFAULT_INSTANCE_LIMITS, DEFAULT_SCHEMA_LIMITS, type InstanceLimits, type SchemaLimits } from "./schema-limits.js";

export type CompileResult = { readonly ok: true; readonly schema: CompiledSchema } | { readonly ok: false; readonly reason: string };

export interface OutputSchemaCompilerOptions {
  readonly schema?: Partial<SchemaLimits>;
  readonly instance?: Partial<InstanceLimits>;
  /** Compiled schemas kept by their JSON text, for clients that send the same schema again. Default 128. */
  readonly cacheSize?: number;
}

// The meta-schema each dialect is checked against (Ajv registers them under these ids).
const META_IDS: Readonly<Record<Dialect, string>> = {
  "draft-07": "http://json-schema.org/draft-07/schema",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
};

/**
 * Compiles the JSON Schemas that engine answers are checked against (R-ENS-6):
 * a client's `output.json_schema` at admission, a task's schema at config load.
 * A schema is audited against the limits first, then checked against its
 * dialect's meta-schema, then compiled by an Ajv instance of its own: Ajv keeps
 * everything it ever compiled in the instance, so a shared one would grow with
 * every client schema and let one schema's `$id` be reached from another's.
 *
 * Results are cached by schema object (a config snapshot's schemas, a request's
 * parsed schema seen again by the ensemble) and by JSON text, bounded, so a
 * client repeating its schema pays the compile once.
 */
export class OutputSchemaCompiler {
  readonly #schemaLimits: SchemaLimits;
  readonly #instanceLimits: InstanceLimits;
  readonly #cacheSize: number;
  readonly #byObject = new WeakMap<object, CompileResult>();
  readonly #byText = new Map<string, CompileResult>();
  readonly #meta = new Map<Dialect, Ajv>();

  constructor(options: OutputSchemaCompilerOptions = {}) {
    this.#schemaLimits = { ...DEFAULT_SCHEMA_LIMITS, ...options.schema };
    this.#instanceLimits = { ...DEFAULT_INSTANCE_LIMITS, ...options.instance };
    this.#cacheSize = options.cacheSize ?? 128;
  }

  /** Compiles `schema` under the limits; never throws. A refusal says why, naming the place in the schema. */
  compile(schema: unknown): CompileResult {
    const key = typeof schema === "object" && schema !== null ? schema : undefined;
    const known = key && this.#byObject.get(key);
    if (known) return known;
    let result: CompileResult;
    try {
      result = this.#compile(schema);
    } catch (error) {
      // Not expected (each step reports its own refusals); a schema must still never throw.
      result = { ok: false, reason: `could not be compiled (${error instanceof Error ? error.name : "error"})` };
    }
    if (key) this.#byObject.set(key, result);
    return result;
  }

  #compile(schema: unknown): CompileResult {
    const audit = auditSchema(schema, this.#schemaLimits);
    if (!audit.ok) return audit;
    // Audited: small and shallow enough to serialise safely.
    const text = JSON.stringify(schema);
    return this.#byText.get(text) ?? this.#remember(text, this.#compileAudited(schema, audit.dialect));
  }

  #compileAudited(schema: unknown, dialect: Dialect): CompileResult {
    try {
      const meta = this.#metaFor(dialect);
      if (!meta.validate(META_IDS[dialect], schema)) {
        const first = meta.errors?.[0];
        return { ok: false, reason: `${first?.instancePath ? `at ${first.instancePath}` : "the schema"} ${first?.message ?? "is not a valid JSON Schema"}` };
      }
      const meter: WorkMeter = { remaining: 0 };
      const ajv = newAjv(dialect, {
        meta: false,
        validateSchema: false,
        // Ajv's optimiser roughly doubles compile time for no gain at the sizes allowed here.
        code: { regExp: linearRegExp(meter, this.#schemaLimits.maxPatternSize), optimize: false },
      });
      ajv.removeKeyword("uniqueItems");
      ajv.addKeyword(boundedUniqueItems(meter));
      const validate: ValidateFunction = ajv.compile(withoutRootIdentity(schema));
      return { ok: true, schema: compiledSchema(validate, meter, this.#instanceLimits) };
    } catch (error) {
      return { ok: false, reason: `does not compile: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** One long-lived Ajv per dialect that only ever validates schemas against the meta-schema, so it does not grow. */
  #metaFor(dialect: Dialect): Ajv {
    let meta = this.#meta.get(dialect);
    if (!meta) this.#meta.set(dialect, (meta = newAjv(dialect, {})));
    return meta;
  }

  #remember(text: string, result: CompileResult): CompileResult {
    this.#byText.set(text, result);
    if (this.#byText.size > this.#cacheSize) this.#byText.delete(this.#byText.keys().next().value!);
    return result;
  }
}

function newAjv(dialect: Dialect, options: Options): Ajv {
  const shared: Options = {
    strict: false,
    validateFormats: false,
    logger: false,
    allErrors: false,
    addUsedSchema: false,
    // An answer's "constructor" key is its own, not Object.prototype's.
    ownProperties: true,
    // Long `enum` and `required` lists become loops, not one comparison each in generated code.
    loopEnum: 16,
    loopRequired: 16,
    ...options,
  };
  return dialect === "2020-12" ? (new Ajv2020(shared) as unknown as Ajv) : new Ajv(shared);
}

/**
 * `$schema` chose the dialect and `$id` can only be at the root; the copy Ajv
 * compiles has neither, so local references resolve against this document alone.
 */
function withoutRootIdentity(schema: unknown): AnySchema {
  if (typeof schema === "boolean") return schema;
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}
