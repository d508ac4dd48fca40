import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { checkOutput, type OutputSpec, type OutputVerdict } from "@llm-pool/core";

/**
 * OutputValidator decides whether an engine's text has the shape the query
 * asked for (R-ENS-6). A candidate that fails is recorded as `invalid` and
 * can never win.
 */
export interface OutputValidator {
  check(text: string, output: OutputSpec): OutputVerdict;
}

/** Parse-only checks (core's `checkOutput`): text must not be empty, JSON must parse. */
export const parseOnlyValidator: OutputValidator = { check: checkOutput };

type Compiled = { readonly validate: ValidateFunction } | { readonly error: string };

/**
 * A validator backed by Ajv. `text` must not be empty, `json` must parse, and
 * `json_schema` must parse and satisfy the schema. Compiled schemas are cached
 * by schema identity: a config snapshot's schema objects are frozen and reused
 * by every request, and a reload brings new objects (the old ones are
 * collected with their snapshot).
 *
 * Schemas are JSON Schema draft-07 unless `$schema` names 2020-12. Formats
 * (`"format": "uri"`) are not checked, and unknown keywords are ignored, so a
 * schema written for an engine's structured-output mode compiles as it is.
 */
export function createOutputValidator(): OutputValidator {
  const compiled = new WeakMap<object, Compiled>();
  let draft07: Ajv | undefined;
  let draft2020: Ajv2020 | undefined;

  const compilerFor = (schema: Readonly<Record<string, unknown>>): Ajv | Ajv2020 => {
    const options = { strict: false, validateFormats: false, logger: false, allErrors: false } as const;
    if (typeof schema.$schema === "string" && schema.$schema.includes("2020-12")) {
      return (draft2020 ??= new Ajv2020(options));
    }
    return (draft07 ??= new Ajv(options));
  };

  const compile = (schema: Readonly<Record<string, unknown>>): Compiled => {
    const cached = compiled.get(schema);
    if (cached) return cached;
    const ajv = compilerFor(schema);
    let entry: Compiled;
    try {
      entry = { validate: ajv.compile(schema) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      entry = { error: `the task's output schema does not compile: ${message}` };
    }
    // Ajv keeps its own strong cache keyed by the schema; drop it so reloads do not pile up.
    try {
      ajv.removeSchema(schema);
    } catch {
      // Nothing was registered (the compile failed early).
    }
    compiled.set(schema, entry);
    return entry;
  };

  return {
    check(text: string, output: OutputSpec): OutputVerdict {
      if (output.kind !== "json_schema") return checkOutput(text, output);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { ok: false, reason: "output is not valid JSON" };
      }
      const entry = compile(output.schema);
      if ("error" in entry) return { ok: false, reason: entry.error };
      if (entry.validate(value)) return { ok: true };
      return { ok: false, reason: `output does not match the task's schema: ${describe(entry.validate)}` };
    },
  };
}

function describe(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (!first) return "rejected";
  return `${first.instancePath || "(root)"} ${first.message ?? "is invalid"}`;
}
