import type { OllamaProviderConfig } from "@llm-pool/config";
import { parseJsonPath } from "../json-path.js";
import type { Operation } from "../operation.js";
import { isDone, notDone } from "./done.js";
import { chatParameters } from "./parameters.js";

/** POST /api/chat (the default): system and user messages in, `message.content` out. */
export const chat: Operation<OllamaProviderConfig> = {
  path: "/api/chat",
  parameters: chatParameters,
  answer: {
    text: parseJsonPath("message.content"),
    promptTokens: parseJsonPath("prompt_eval_count"),
    completionTokens: parseJsonPath("eval_count"),
    finishReason: parseJsonPath("done_reason"),
    lengthValues: ["length"],
    model: parseJsonPath("model"),
  },
  incomplete: notDone,
  // Ollama streams by default: one JSON object per line, the last one marked done.
  stream: { framing: "ndjson", body: { stream: true }, delta: parseJsonPath("message.content"), completes: isDone },
};
