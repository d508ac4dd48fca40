import type { OllamaProviderConfig } from "@llm-pool/config";
import type { OutputSpec, ProviderRequest } from "@llm-pool/core";
import type { ParameterMap } from "../parameter-map.js";
import type { OllamaChatMessage, OllamaFormat } from "./api.js";
import { ollamaKeepAlive } from "./keep-alive.js";

/** JSON mode or a schema; plain text sends no `format`. */
export function ollamaFormat(output: OutputSpec): OllamaFormat | undefined {
  if (output.kind === "json") return "json";
  if (output.kind === "json_schema") return output.schema;
  return undefined;
}

function messages(request: ProviderRequest): OllamaChatMessage[] {
  return [
    ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
    { role: "user" as const, content: request.prompt },
  ];
}

/** Fields both routes send. */
const common: ParameterMap<OllamaProviderConfig> = {
  model: (_, config) => config.model,
  stream: () => false,
  format: (request) => ollamaFormat(request.output),
  keep_alive: (_, config) => ollamaKeepAlive(config.keep_alive),
  "options.num_predict": (request) => request.maxTokens,
  "options.temperature": (request) => request.temperature,
  "options.seed": (request) => request.seed,
};

/** POST /api/chat: the system instruction is the first message. */
export const chatParameters: ParameterMap<OllamaProviderConfig> = {
  ...common,
  messages: (request) => messages(request),
};

/** POST /api/generate: the system instruction has its own field. */
export const generateParameters: ParameterMap<OllamaProviderConfig> = {
  ...common,
  prompt: (request) => request.prompt,
  system: (request) => request.system || undefined,
};
