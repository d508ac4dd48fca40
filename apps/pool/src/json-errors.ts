import { fromJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { invalidArgument, type PoolError } from "@llm-pool/core";

/**
 * The proto3 JSON text of a `desc` message, parsed strictly (unknown fields
 * and enum names refused); malformed JSON is invalid_argument on "body", a
 * refused value names its field (jsonDecodeError).
 */
export function parseJsonMessage<Desc extends DescMessage>(desc: Desc, text: string): MessageShape<Desc> {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw invalidArgument("body", `malformed JSON: ${(error as Error).message}`);
  }
  try {
    return fromJson(desc, json);
  } catch (error) {
    throw jsonDecodeError(desc, json, error);
  }
}

/**
 * Explains why protobuf-es refused a JSON message, naming the field (as a
 * snake_case path from the top message) when it can: an unknown key, a value
 * of the wrong type, an enum name that does not exist (protobuf-es names only
 * the enum type then). Anything else is about "body".
 */
export function jsonDecodeError(desc: DescMessage, json: JsonValue, error: unknown): PoolError {
  const message = error instanceof Error ? error.message : String(error);
  const unknownKey = /key "(.+)" is unknown$/.exec(message);
  if (unknownKey) return invalidArgument("body", `unknown field "${unknownKey[1]}"`);
  const badEnum = unknownEnum(desc, json, "");
  if (badEnum) return invalidArgument(badEnum.field, `unknown value ${JSON.stringify(badEnum.value)}`);
  const badField = /^cannot decode field (.+)\.(\w+) from JSON: (.*)$/s.exec(message);
  const path = badField && pathOf(desc, badField[1]!, badField[2]!);
  if (path) return invalidArgument(path, badField[3]!);
  return invalidArgument("body", message);
}

/** The first enum field (as a snake_case path) whose JSON value names no value of its enum. */
function unknownEnum(desc: DescMessage, json: JsonValue, prefix: string): { field: string; value: string } | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  for (const field of desc.fields) {
    const value = json[field.jsonName] ?? json[field.name];
    if (value === undefined) continue;
    const path = prefix + field.name;
    if (field.fieldKind === "enum" && typeof value === "string" && !field.enum.values.some((v) => v.name === value)) {
      return { field: path, value };
    }
    if (field.fieldKind === "message" && !isWellKnown(field.message)) {
      const inner = unknownEnum(field.message, value, `${path}.`);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The path from `desc` to field `name` of message `typeName`, through singular message fields. */
function pathOf(desc: DescMessage, typeName: string, name: string, prefix = "", depth = 0): string | undefined {
  if (desc.typeName === typeName) return desc.fields.some((f) => f.name === name) ? prefix + name : undefined;
  if (depth > 8) return undefined;
  for (const field of desc.fields) {
    if (field.fieldKind !== "message" || isWellKnown(field.message)) continue;
    const found = pathOf(field.message, typeName, name, `${prefix}${field.name}.`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isWellKnown(desc: DescMessage): boolean {
  return desc.typeName.startsWith("google.protobuf.");
}
