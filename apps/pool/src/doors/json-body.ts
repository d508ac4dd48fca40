import { invalidArgument } from "@llm-pool/core";

/** A JSON object as a client sent it: nothing in it is trusted until a reader below checked it. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body as a JSON object, or INVALID_ARGUMENT naming "body". */
export function parseJsonObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidArgument("body", "is not valid JSON");
  }
  if (!isJsonObject(value)) throw invalidArgument("body", "must be a JSON object");
  return value;
}

/** Typed readers of optional fields; each refusal names the field as the client spelled it. */
export const read = {
  string(body: JsonObject, key: string, field = key): string | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw invalidArgument(field, "must be a string");
    return value;
  },
  boolean(body: JsonObject, key: string, field = key): boolean | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw invalidArgument(field, "must be true or false");
    return value;
  },
  /** A whole number in [0, 2^32 - 1] (the proto's uint32). */
  count(body: JsonObject, key: string, field = key): number | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw invalidArgument(field, "must be a whole number from 0 to 4294967295");
    }
    return value;
  },
  number(body: JsonObject, key: string, field = key): number | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) throw invalidArgument(field, "must be a number");
    return value;
  },
  object(body: JsonObject, key: string, field = key): JsonObject | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) throw invalidArgument(field, "must be a JSON object");
    return value;
  },
};
