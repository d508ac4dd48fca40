import { checkOutput, type OutputSpec, type OutputVerdict } from "@llm-pool/core";
import { OutputSchemaCompiler } from "@llm-pool/output-schema";

/**
 * OutputValidator decides whether an engine's text has the shape the query
 * asked for (R-ENS-6). A candidate that fails is recorded as `invalid` and
 * can never win. `check` never throws: a candidate call relies on it.
 */
export interface OutputValidator {
  check(text: string, output: OutputSpec): OutputVerdict;
}

/** Parse-only checks (core's `checkOutput`): text must not be empty, JSON must parse. */
export const parseOnlyValidator: OutputValidator = { check: checkOutput };

/**
 * A validator backed by the output-schema compiler: `text` must not be empty,
 * `json` must parse, and `json_schema` must parse and satisfy the schema,
 * checked with bounded work. Pass the compiler the orchestrator admits client
 * schemas with, so each schema is compiled once; task schemas (frozen in their
 * config snapshot) and the judge's verdict schema are compiled on first use.
 *
 * Schemas are JSON Schema draft-07 unless `$schema` names 2020-12. Formats
 * (`"format": "uri"`) are not checked, and unknown keywords are ignored, so a
 * schema written for an engine's structured-output mode compiles as it is.
 */
export function createOutputValidator(schemas: OutputSchemaCompiler = new OutputSchemaCompiler()): OutputValidator {
  return {
    check(text: string, output: OutputSpec): OutputVerdict {
      if (output.kind !== "json_schema") return checkOutput(text, output);
      try {
        const compiled = schemas.compile(output.schema);
        if (!compiled.ok) return { ok: false, reason: `the output schema does not compile: ${compiled.reason}` };
        return compiled.schema.check(text);
      } catch (error) {
        // Not expected (compile and check report their own failures); an answer is then invalid, never a crash.
        return { ok: false, reason: `output could not be checked (${error instanceof Error ? error.name : "error"})` };
      }
    },
  };
}
