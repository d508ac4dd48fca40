import type { OpenAiProviderConfig } from "@llm-pool/config";
import { parseJsonPath } from "../json-path.js";
import type { Operation } from "../operation.js";
import { openAiStream } from "./stream.js";
import { chatParameters } from "./parameters.js";

/** POST /v1/chat/completions (endpoint = "chat", the default). */
export const chatCompletions: Operation<OpenAiProviderConfig> = {
  path: "/v1/chat/completions",
  parameters: chatParameters,
  answer: {
    text: parseJsonPath("choices[0].message.content"),
    promptTokens: parseJsonPath("usage.prompt_tokens"),
    completionTokens: parseJsonPath("usage.completion_tokens"),
    finishReason: parseJsonPath("choices[0].finish_reason"),
    lengthValues: ["length"],
    model: parseJsonPath("model"),
  },
  stream: openAiStream(parseJsonPath("choices[0].delta.content")),
};
