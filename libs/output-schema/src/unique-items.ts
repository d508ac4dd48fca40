import type { ErrorObject, FuncKeywordDefinition } from "ajv";
import equal from "fast-deep-equal";
import { spend, type WorkMeter } from "./work-meter.js";

/**
 * `uniqueItems` with the same meaning as Ajv's, but bounded: Ajv compares every
 * pair of items unless the schema declares them scalar, so a few thousand
 * objects in one answer take seconds. Here scalars are found through a map in
 * one pass, and each pair of objects or arrays compared costs one unit of the
 * check's work.
 */
export function boundedUniqueItems(meter: WorkMeter): FuncKeywordDefinition {
  const validate = function uniqueItems(schema: boolean, data: unknown[]): boolean {
    validate.errors = undefined;
    if (!schema || data.length < 2) return true;
    const scalars = new Map<string, number>();
    const composites: number[] = [];
    for (const [i, item] of data.entries()) {
      if (typeof item === "object" && item !== null) {
        composites.push(i);
        continue;
      }
      const key = `${typeof item}:${String(item)}`;
      const seen = scalars.get(key);
      if (seen !== undefined) return duplicate(seen, i);
      scalars.set(key, i);
    }
    for (const [a, i] of composites.entries()) {
      for (const j of composites.slice(0, a)) {
        spend(meter, 1);
        if (equal(data[i], data[j])) return duplicate(j, i);
      }
    }
    return true;
  } as ((schema: boolean, data: unknown[]) => boolean) & { errors?: Partial<ErrorObject>[] };

  function duplicate(j: number, i: number): false {
    validate.errors = [{ keyword: "uniqueItems", message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } }];
    return false;
  }

  return { keyword: "uniqueItems", type: "array", schemaType: "boolean", errors: true, validate };
}
