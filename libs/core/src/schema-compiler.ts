/**
 * Compiles a client's `output.json_schema` at admission, under the pool's
 * limits, so a schema that could make validation unbounded is refused with
 * INVALID_ARGUMENT before any engine is called. Core only holds the seam:
 * `@llm-pool/output-schema` implements it, and the composition root hands the
 * same instance to the ensemble's validator, which then finds each admitted
 * schema already compiled.
 */
export interface SchemaCompiler {
  /** Never throws; a refusal's reason names the place in the schema. */
  compile(schema: Readonly<Record<string, unknown>>): { readonly ok: true } | { readonly ok: false; readonly reason: string };
}
