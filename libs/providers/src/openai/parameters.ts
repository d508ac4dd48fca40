import type { OpenAiProviderConfig } from "@llm-pool/config";
import type { OutputSpec, ProviderRequest } from "@llm-pool/core";
import type { ParameterMap } from "../parameter-map.js";
import type { OpenAiChatMessage, OpenAiResponseFormat } from "./api.js";

/**
 * top_p is always sent, like temperature: servers disagree on defaults (Ollama's /v1 uses 1.0 when
 * either is omitted, its native API 0.9/0.8), and the pool wants the same sampling on every engine.
 * 1.0 leaves the distribution to temperature alone.
 */
export const TOP_P = 1;

/** json_schema (strict, named after the task) or json_object; plain text sends no response_format. */
export function responseFormat(output: OutputSpec, task: string): OpenAiResponseFormat | undefined {
  if (output.kind === "json") return { type: "json_object" };
  if (output.kind === "json_schema") return { type: "json_schema", json_schema: { name: task, schema: output.schema, strict: true } };
  return undefined;
}

const sampling: ParameterMap<OpenAiProviderConfig> = {
  model: (_, config) => config.model,
  max_tokens: (request) => request.maxTokens,
  temperature: (request) => request.temperature,
  top_p: () => TOP_P,
  seed: (request) => request.seed,
  response_format: (request) => responseFormat(request.output, request.task),
  stream: () => false,
};

function messages(request: ProviderRequest): OpenAiChatMessage[] {
  return [
    ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
    { role: "user" as const, content: request.prompt },
  ];
}

/** POST /v1/chat/completions: the server applies the model's chat template. */
export const chatParameters: ParameterMap<OpenAiProviderConfig> = {
  ...sampling,
  messages: (request) => messages(request),
};

/** POST /v1/completions: raw text, so the instruction is prepended to the prompt. */
export const completionParameters: ParameterMap<OpenAiProviderConfig> = {
  ...sampling,
  prompt: (request) => (request.system ? `${request.system}\n\n${request.prompt}` : request.prompt),
};
