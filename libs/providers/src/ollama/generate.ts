import type { OllamaProviderConfig } from "@llm-pool/config";
import { parseJsonPath } from "../json-path.js";
import type { Operation } from "../operation.js";
import { isDone, notDone } from "./done.js";
import { generateParameters } from "./parameters.js";

/** POST /api/generate: one prompt plus a `system` field in, `response` out. */
export const generate: Operation<OllamaProviderConfig> = {
  path: "/api/generate",
  parameters: generateParameters,
  answer: {
    text: parseJsonPath("response"),
    promptTokens: parseJsonPath("prompt_eval_count"),
    completionTokens: parseJsonPath("eval_count"),
    finishReason: parseJsonPath("done_reason"),
    lengthValues: ["length"],
    model: parseJsonPath("model"),
  },
  incomplete: notDone,
  // Ollama streams by default: one JSON object per line, the last one marked done.
  stream: { framing: "ndjson", body: { stream: true }, delta: parseJsonPath("response"), completes: isDone },
};
