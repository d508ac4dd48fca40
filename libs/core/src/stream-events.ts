import type { Answer } from "@llm-pool/contract";
import { Code } from "./code.js";
import type { EnsembleStream } from "./ensemble.js";
import { EventChannel } from "./event-channel.js";
import type { InferEvent } from "./infer-service.js";
import { PoolError } from "./pool-error.js";

/**
 * The events of one streamed query (R-API-6), around `serve`, which runs the
 * query with a stream to report to and a signal that also aborts when the
 * consumer stops reading. Text and progress the query reports go out as
 * they come (the orchestrator's StreamedText sees that the deltas join to
 * the answer's output), then the answer, last.
 */
export async function* streamEvents(serve: (stream: EnsembleStream, signal: AbortSignal) => Promise<Answer>, signal: AbortSignal): AsyncGenerator<InferEvent> {
  const channel = new EventChannel<InferEvent>();
  const stop = new AbortController();
  const stream: EnsembleStream = {
    text: (provider, text) => channel.push({ kind: "delta", provider, text }),
    progress: (progress) => channel.push({ kind: "progress", progress }),
  };
  const served = serve(stream, AbortSignal.any([signal, stop.signal])).then(
    (answer) => {
      channel.push({ kind: "answer", answer });
      channel.end();
    },
    (error: unknown) => channel.fail(error),
  );
  try {
    yield* channel;
  } finally {
    // A consumer that stops reading early (the client went away) stops the query and its engine calls.
    stop.abort(new PoolError(Code.Canceled, "the client stopped reading the stream"));
    await served;
  }
}
