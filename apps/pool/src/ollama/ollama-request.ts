import type { Query } from "@llm-pool/contract";
import { invalidArgument, type Identity } from "@llm-pool/core";
import { chatTranscript } from "../doors/chat-transcript.js";
import { doorQuery, EXTENSION_FIELD, type DoorOutput } from "../doors/door-query.js";
import { isJsonObject, read, type JsonObject } from "../doors/json-body.js";
import type { ModelCatalog, PoolModel } from "../doors/model-catalog.js";

export type OllamaRoute = "chat" | "generate";

/** One Ollama request, translated; `load` is a generate with nothing to generate (Ollama's preload). */
export type OllamaRequest =
  | { readonly load: false; readonly query: Query; readonly model: PoolModel; readonly name: string; readonly stream: boolean }
  | { readonly load: true; readonly model: PoolModel; readonly name: string };

/**
 * POST /api/chat (`messages`) and POST /api/generate (`prompt`, `system`) as
 * a Query (R-API-7). `stream` defaults to true, as in Ollama; `format` is
 * "json" or a JSON Schema; options.num_predict is max_tokens. The other
 * options (temperature, seed…) and keep_alive are accepted and ignored: the
 * task fixes sampling, and the pool keeps its own models warm. Images and
 * tools are refused, not ignored. A generate with an empty prompt is
 * Ollama's way to preload a model: it is answered done at once.
 */
export function ollamaRequest(route: OllamaRoute, body: JsonObject, catalog: ModelCatalog, identity: Identity | undefined): OllamaRequest {
  const name = read.string(body, "model");
  if (name === undefined || name === "") throw invalidArgument("model", "is required (GET /api/tags lists them)");
  const model = catalog.resolve(name, identity);
  for (const field of ["images", "tools"]) {
    const value = body[field];
    if (Array.isArray(value) && value.length > 0) throw invalidArgument(field, `${field} are not supported`);
  }
  let prompt: string;
  if (route === "chat") {
    if (Array.isArray(body["messages"]) && body["messages"].length === 0) return { load: true, model, name };
    prompt = chatTranscript(body["messages"]);
  } else {
    const text = read.string(body, "prompt") ?? "";
    const system = read.string(body, "system");
    if (text === "") return { load: true, model, name };
    prompt = system ? chatTranscript([{ role: "system", content: system }, { role: "user", content: text }]) : text;
  }
  const options = read.object(body, "options");
  const numPredict = options && read.number(options, "num_predict", "options.num_predict");
  // Ollama reads -1 as "no limit" and -2 as "fill the context": both leave the task's own limit.
  if (numPredict !== undefined && numPredict !== -1 && numPredict !== -2 && !(Number.isInteger(numPredict) && numPredict >= 0 && numPredict <= 0xffff_ffff)) {
    throw invalidArgument("options.num_predict", "must be a whole number from 0 to 4294967295, or -1");
  }
  const output = format(body["format"]);
  return {
    load: false,
    model,
    name,
    stream: read.boolean(body, "stream") ?? true,
    query: doorQuery({
      model,
      prompt,
      ...(numPredict !== undefined && numPredict > 0 && { maxTokens: numPredict }),
      ...(output && { output }),
      extension: body[EXTENSION_FIELD],
    }),
  };
}

function format(value: unknown): DoorOutput | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (value === "json") return { kind: "json" };
  if (isJsonObject(value)) return { kind: "json_schema", schema: value };
  throw invalidArgument("format", 'must be "json" or a JSON Schema object');
}
