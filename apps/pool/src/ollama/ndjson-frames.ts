import { PoolError } from "@llm-pool/core";
import { eventsOf, type OpenedStream } from "../doors/door-stream.js";
import { ollamaDone, ollamaPiece, type OllamaHead } from "./ollama-answer.js";

const line = (value: object) => `${JSON.stringify(value)}\n`;

/**
 * A streamed query as Ollama's NDJSON (R-API-6, R-API-7): one object per
 * piece of text as the winning engine writes it (a strategy that decides
 * before it answers sends the answer as one piece), then the done object.
 * Progress has no place in Ollama's stream and is left out. An error after
 * the stream began is `{"error": …}` as the last line, which Ollama's
 * clients raise.
 */
export async function* ollamaLines(head: OllamaHead, opened: OpenedStream): AsyncGenerator<string> {
  let streamed = false;
  try {
    for await (const current of eventsOf(opened)) {
      if (current.kind === "delta") {
        streamed = true;
        yield line(ollamaPiece(head, current.text));
      } else if (current.kind === "answer") {
        // A service that cannot stream sends its answer alone.
        if (!streamed && current.answer.output !== "") yield line(ollamaPiece(head, current.answer.output));
        yield line(ollamaDone(head, current.answer, ""));
      }
    }
  } catch (error) {
    yield line({ error: PoolError.from(error).message });
  }
}
