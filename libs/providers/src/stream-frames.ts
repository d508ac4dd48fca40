import { createParser } from "eventsource-parser";
import type { EngineResponse } from "./engine-http.js";
import { MAX_BODY_BYTES } from "./engine-request.js";
import { ProviderError } from "./provider-error.js";

/**
 * How an engine frames a streamed answer: Ollama sends one JSON object per
 * line (NDJSON), OpenAI-compatible servers send server-sent events whose
 * `data` is a JSON object, ending with `data: [DONE]`.
 */
export type Framing = "ndjson" | "sse";

/**
 * The frames of a streamed body as text, in order: each NDJSON line (blank
 * lines skipped) or each SSE event's data (comments and event names
 * ignored). A frame not terminated when the body ends is dropped, as SSE
 * drops an unfinished event: the caller then sees a stream that never
 * finished. The bytes must be UTF-8 (decoded strictly, across chunk
 * boundaries) and stay within MAX_BODY_BYTES in all. A body that breaks off
 * is truncated; an abort is the abort.
 */
export async function* readFrames(response: EngineResponse, framing: Framing, provider: string, signal: AbortSignal): AsyncGenerator<string> {
  const chunks = response.body[Symbol.asyncIterator]();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const split = framing === "ndjson" ? lineSplitter() : sseSplitter();
  let size = 0;
  let ended = false;
  try {
    for (;;) {
      let chunk: IteratorResult<Uint8Array>;
      try {
        chunk = await chunks.next();
      } catch (error) {
        if (signal.aborted) throw ProviderError.fromAbort(provider, signal.reason);
        throw new ProviderError(provider, "truncated", "the engine's stream ended early", { cause: error });
      }
      const text = chunk.done ? decode(decoder, undefined, provider) : decode(decoder, chunk.value, provider);
      if (!chunk.done) {
        size += chunk.value.byteLength;
        if (size > MAX_BODY_BYTES) {
          throw new ProviderError(provider, "malformed", `the engine's stream is larger than ${MAX_BODY_BYTES} bytes`);
        }
      }
      yield* split.feed(text);
      if (chunk.done) {
        ended = true;
        return;
      }
    }
  } finally {
    // Stopping early (a [DONE], an error, the caller's break) closes the upstream request.
    if (!ended) response.cancel();
  }
}

function decode(decoder: InstanceType<typeof TextDecoder>, bytes: Uint8Array | undefined, provider: string): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch (error) {
    throw new ProviderError(provider, "malformed", "the engine's stream is not valid UTF-8", { cause: error });
  }
}

interface Splitter {
  /** The frames `text` completes. */
  feed(text: string): string[];
}

function lineSplitter(): Splitter {
  let pending = "";
  return {
    feed(text) {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      return lines.map((line) => line.trim()).filter((line) => line !== "");
    },
  };
}

function sseSplitter(): Splitter {
  let ready: string[] = [];
  const parser = createParser({ onEvent: (event) => ready.push(event.data) });
  return {
    feed(text) {
      parser.feed(text);
      const frames = ready;
      ready = [];
      return frames;
    },
  };
}
