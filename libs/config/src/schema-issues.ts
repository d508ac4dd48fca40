import type * as z from "zod";
import type { ConfigIssue } from "./config-error.js";
import { formatPath, toPathSegments, type PathSegment } from "./config-path.js";
import { PROVIDER_FIELDS } from "./schema/providers.js";
import type { TomlLocator } from "./toml-locator.js";

/**
 * Per-parse error map: short messages in config terms ("must be at most 1500") instead of zod's
 * generic wording. Messages set on a schema itself (e.g. "must be an http(s) URL") win over this.
 */
export function describeSchemaIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
    case "too_big":
      return boundMessage("at most", "less than", issue.origin, issue.maximum, issue.inclusive);
    case "too_small":
      if ((issue.origin === "array" || issue.origin === "string") && Number(issue.minimum) === 1) return "must not be empty";
      return boundMessage("at least", "greater than", issue.origin, issue.minimum, issue.inclusive);
    case "invalid_value":
      return `must be ${oneOf(issue.values)}`;
    case "invalid_union": {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator === undefined) return undefined;
      const given = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
      return given === undefined ? `is required; ${oneOf(options ?? [])}` : `must be ${oneOf(options ?? [])}`;
    }
    case "invalid_format":
      return "has an invalid format";
    case "unrecognized_keys":
      return "unknown key";
    default:
      return undefined;
  }
}

/** Turns zod issues into config issues: one per unknown key, with hints, placed in the source. */
export function schemaIssues(error: z.ZodError, input: unknown, locator: TomlLocator): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = toPathSegments(issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(placed(locator, [...path, key], unknownKeyMessage(path, key, input)));
    } else if (issue.code === "invalid_key") {
      out.push(placed(locator, path, issue.issues[0]?.message ?? "is not a valid name"));
    } else {
      out.push(placed(locator, path, issue.message));
    }
  }
  return out;
}

// Keys that look like an inline secret get told where the secret belongs instead of "unknown key".
const SECRET_KEYS: Readonly<Record<string, string>> = {
  secret: "secret_env",
  api_key: "api_key_env",
  redis_url: "redis_url_env",
  password: "an *_env field",
  token: "an *_env field",
};

function unknownKeyMessage(table: PathSegment[], key: string, input: unknown): string {
  const envField = SECRET_KEYS[key];
  if (envField !== undefined) {
    const how = envField.endsWith("_env") ? `name that variable in ${envField}` : `reference it with ${envField}`;
    return `inline secrets are not allowed: put the value in an environment variable and ${how}`;
  }
  if (table.length === 2 && table[0] === "providers") {
    const driver = valueAt(input, [...table, "driver"]);
    if (typeof driver === "string" && PROVIDER_FIELDS[driver] !== undefined) {
      const owners = Object.entries(PROVIDER_FIELDS)
        .filter(([, fields]) => fields.includes(key))
        .map(([owner]) => owner);
      if (owners.length > 0) return `is not used by the ${driver} driver (only by ${owners.join(", ")})`;
    }
  }
  if (formatPath(table) === "tasks") return "unknown task";
  return "unknown key";
}

function placed(locator: TomlLocator, path: PathSegment[], message: string): ConfigIssue {
  const position = locator.locate(path);
  return { kind: "schema", path: formatPath(path), message, ...position };
}

function valueAt(input: unknown, path: PathSegment[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

function boundMessage(
  inclusiveWord: string,
  exclusiveWord: string,
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
): string {
  const comparison = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === "array") return `must have ${comparison} ${bound} entries`;
  if (origin === "string") return `must be ${comparison} ${bound} characters long`;
  return `must be ${comparison} ${bound}`;
}

function oneOf(values: readonly unknown[]): string {
  const listed = values.map((v) => JSON.stringify(v));
  return listed.length === 1 ? listed[0] ?? "" : `one of ${listed.join(", ")}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  array: "a list",
  object: "a table",
  record: "a table",
};

function article(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a float";
  if (typeof value === "object" && value !== null) return "a table";
  return TYPE_NAMES[typeof value] ?? typeof value;
}
