import type { JsonPath } from "../json-path.js";
import { readJsonPath } from "../json-path.js";
import type { StreamShape } from "../operation.js";

const FINISH_REASON: JsonPath = ["choices", 0, "finish_reason"];

/**
 * How an OpenAI-compatible server streams a route: server-sent events of
 * chunks, the text at `delta`, a chunk with a finish_reason, then (asked
 * for with `stream_options.include_usage`) one chunk with the usage, then
 * `data: [DONE]`. Servers that ignore include_usage report no usage (0).
 */
export function openAiStream(delta: JsonPath): StreamShape {
  return {
    framing: "sse",
    body: { stream: true, stream_options: { include_usage: true } },
    delta,
    completes: (frame) => typeof readJsonPath(frame, FINISH_REASON) === "string",
    end: "[DONE]",
  };
}
