import type { ValidateFunction } from "ajv";
import { measureJson } from "./json-shape.js";
import { WorkBudgetExceeded, type WorkMeter } from "./work-meter.js";
import type { InstanceLimits } from "./schema-limits.js";

export type SchemaVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A schema that passed the limits and compiled: it checks answers, and never throws. */
export interface CompiledSchema {
  /** Whether `text` is JSON that satisfies the schema. */
  check(text: string): SchemaVerdict;
}

/**
 * The check of one answer with bounded work: the text's size and nesting are
 * capped before it is parsed into something the validator walks, pattern tests
 * and item comparisons spend from a work budget, and anything the generated validator still throws (a
 * stack overflow, the budget running out) is an invalid answer, not a crash.
 */
export function compiledSchema(validate: ValidateFunction, meter: WorkMeter, limits: InstanceLimits): CompiledSchema {
  return {
    check(text: string): SchemaVerdict {
      if (text.length > limits.maxChars) {
        return { ok: false, reason: `output is longer than ${limits.maxChars} characters; not checked against the schema` };
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { ok: false, reason: "output is not valid JSON" };
      }
      const shape = measureJson(value, limits.maxDepth, limits.maxValues);
      if (shape) return { ok: false, reason: `output ${shape}; not checked against the schema` };
      meter.remaining = limits.workBudget;
      try {
        if (validate(value)) return { ok: true };
        return { ok: false, reason: `output does not match the task's schema: ${firstError(validate)}` };
      } catch (error) {
        if (error instanceof WorkBudgetExceeded) return { ok: false, reason: `output not checked: ${error.message}` };
        return { ok: false, reason: `output could not be checked against the schema (${describe(error)})` };
      }
    },
  };
}

function firstError(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (!first) return "rejected";
  return `${first.instancePath || "(root)"} ${first.message ?? "is invalid"}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
