import { toJson } from "@bufbuild/protobuf";
import { AnswerSchema, StreamProgressSchema } from "@llm-pool/contract";
import { PoolError, progressMessage } from "@llm-pool/core";
import { eventsOf, type OpenedStream } from "../doors/door-stream.js";
import { errorBody } from "./errors.js";

/** Whether a REST client asked for the stream: `Accept: text/event-stream` on POST /v1/infer. */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((type) => type.split(";", 1)[0]!.trim().toLowerCase() === "text/event-stream");
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A streamed query as server-sent events on POST /v1/infer (R-API-6):
 * `delta` events (a TextDelta: {provider, text}), `progress` events of a
 * collecting strategy (a StreamProgress: {stage, provider, status,
 * latencyMs}), then one `answer` event (the Answer, as the unstreamed route
 * returns it): each the proto3 JSON form of InferStreamResponse's member. An error after the stream began is one
 * `error` event with the REST error body, and the stream ends.
 */
export async function* restEvents(opened: OpenedStream): AsyncGenerator<string> {
  try {
    for await (const event of eventsOf(opened)) {
      if (event.kind === "delta") yield sse("delta", { provider: event.provider, text: event.text });
      else if (event.kind === "progress") yield sse("progress", toJson(StreamProgressSchema, progressMessage(event.progress)));
      else yield sse("answer", toJson(AnswerSchema, event.answer));
    }
  } catch (error) {
    yield sse("error", errorBody(PoolError.from(error)));
  }
}
