import { toJson } from "@bufbuild/protobuf";
import { StreamProgressSchema } from "@llm-pool/contract";
import { PoolError, progressMessage } from "@llm-pool/core";
import { eventsOf, type OpenedStream } from "../doors/door-stream.js";
import { chunks, type CompletionHead } from "./openai-answer.js";
import { openAiErrorBody } from "./openai-errors.js";

const event = (value: object) => `data: ${JSON.stringify(value)}\n\n`;

/**
 * A streamed query as OpenAI's server-sent events (R-API-6, R-API-7): text
 * chunks as the winning engine writes them (a strategy that decides before
 * it answers sends the answer as one chunk), then the chunk with the finish
 * reason and the pool's Answer, the usage chunk when asked for, and
 * `data: [DONE]`. Progress of a collecting strategy goes as SSE comments,
 * which OpenAI clients skip. An error after the stream began is OpenAI's
 * error object as the last event, with no [DONE], which the official
 * clients raise as an APIError.
 */
export async function* openAiEvents(head: CompletionHead, opened: OpenedStream): AsyncGenerator<string> {
  for (const value of chunks.opening(head)) yield event(value);
  let streamed = false;
  try {
    for await (const current of eventsOf(opened)) {
      if (current.kind === "delta") {
        streamed = true;
        yield event(chunks.text(head, current.text));
      } else if (current.kind === "progress") {
        yield `: ${JSON.stringify(toJson(StreamProgressSchema, progressMessage(current.progress)))}\n\n`;
      } else {
        // A service that cannot stream sends its answer alone.
        if (!streamed && current.answer.output !== "") yield event(chunks.text(head, current.answer.output));
        for (const value of chunks.closing(head, current.answer)) yield event(value);
        yield "data: [DONE]\n\n";
      }
    }
  } catch (error) {
    yield event(openAiErrorBody(PoolError.from(error)));
  }
}
