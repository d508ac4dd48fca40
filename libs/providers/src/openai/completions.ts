import type { OpenAiProviderConfig } from "@llm-pool/config";
import { parseJsonPath } from "../json-path.js";
import type { Operation } from "../operation.js";
import { openAiStream } from "./stream.js";
import { completionParameters } from "./parameters.js";

/** POST /v1/completions (endpoint = "completions"). */
export const completions: Operation<OpenAiProviderConfig> = {
  path: "/v1/completions",
  parameters: completionParameters,
  answer: {
    text: parseJsonPath("choices[0].text"),
    promptTokens: parseJsonPath("usage.prompt_tokens"),
    completionTokens: parseJsonPath("usage.completion_tokens"),
    finishReason: parseJsonPath("choices[0].finish_reason"),
    lengthValues: ["length"],
    model: parseJsonPath("model"),
  },
  stream: openAiStream(parseJsonPath("choices[0].text")),
};
