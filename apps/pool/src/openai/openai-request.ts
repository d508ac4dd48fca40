import type { Query } from "@llm-pool/contract";
import { invalidArgument, type Identity } from "@llm-pool/core";
import { chatTranscript } from "../doors/chat-transcript.js";
import { doorQuery, EXTENSION_FIELD, type DoorOutput } from "../doors/door-query.js";
import { isJsonObject, read, type JsonObject } from "../doors/json-body.js";
import type { ModelCatalog, PoolModel } from "../doors/model-catalog.js";

/** One OpenAI request, translated: the Query to run and how the client wants the answer back. */
export interface OpenAiRequest {
  readonly query: Query;
  readonly model: PoolModel;
  readonly stream: boolean;
  /** `stream_options.include_usage`: a last chunk carrying the usage. */
  readonly includeUsage: boolean;
}

export type OpenAiRoute = "chat" | "completion";

/**
 * POST /v1/chat/completions (`messages`, `response_format`) and
 * POST /v1/completions (`prompt`) as a Query (R-API-7). max_tokens (or
 * max_completion_tokens) is the Query's; `n` must be 1; tools are refused,
 * not ignored; temperature, top_p, seed, stop and the penalties are accepted
 * and ignored, because each task fixes its own sampling so that the same
 * question gets the same answer whoever asks.
 */
export function openAiRequest(route: OpenAiRoute, body: JsonObject, catalog: ModelCatalog, identity: Identity | undefined): OpenAiRequest {
  const name = read.string(body, "model");
  if (name === undefined || name === "") throw invalidArgument("model", "is required (GET /v1/models lists them)");
  const model = catalog.resolve(name, identity);
  const n = read.count(body, "n");
  if (n !== undefined && n !== 1) throw invalidArgument("n", "only 1 choice per request is supported");
  const tools = body["tools"] ?? body["functions"];
  if (Array.isArray(tools) && tools.length > 0) throw invalidArgument(body["tools"] ? "tools" : "functions", "tool calls are not supported");
  const maxTokens = read.count(body, "max_completion_tokens") ?? read.count(body, "max_tokens");
  const output = route === "chat" ? responseFormat(body["response_format"]) : undefined;
  const query = doorQuery({
    model,
    prompt: route === "chat" ? chatTranscript(body["messages"]) : completionPrompt(body["prompt"]),
    ...(maxTokens !== undefined && { maxTokens }),
    ...(output && { output }),
    extension: body[EXTENSION_FIELD],
  });
  const streamOptions = read.object(body, "stream_options");
  return {
    query,
    model,
    stream: read.boolean(body, "stream") ?? false,
    includeUsage: (streamOptions && read.boolean(streamOptions, "include_usage", "stream_options.include_usage")) ?? false,
  };
}

/** The pool's field names where OpenAI's differ, for `param` in errors. */
export function openAiParam(route: OpenAiRoute): (field: string) => string {
  return (field) => {
    if (field.startsWith("output")) return "response_format";
    if (field === "prompt" || field === "input") return route === "chat" ? "messages" : "prompt";
    return field;
  };
}

function responseFormat(value: unknown): DoorOutput | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidArgument("response_format", "must be an object {type}");
  switch (value["type"]) {
    case "text":
      return { kind: "text" };
    case "json_object":
      return { kind: "json" };
    case "json_schema": {
      const spec = read.object(value, "json_schema", "response_format.json_schema");
      const schema = spec && read.object(spec, "schema", "response_format.json_schema.schema");
      if (!schema) throw invalidArgument("response_format.json_schema.schema", "is required with type json_schema");
      return { kind: "json_schema", schema };
    }
    default:
      throw invalidArgument("response_format.type", "must be text, json_object or json_schema");
  }
}

/** The legacy route's prompt: a string, or a list holding one string. */
function completionPrompt(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
  throw invalidArgument("prompt", "must be a string (or a list of exactly one string)");
}
