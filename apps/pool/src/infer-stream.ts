import type { Query } from "@llm-pool/contract";
import type { CallContext, InferEvent, InferService } from "@llm-pool/core";

export type { InferEvent };

/**
 * What the edges need for InferStream beyond `InferService`. Optional: a
 * service without it still serves InferStream, as its final answer alone.
 * Like `infer`, it throws (or ends the iterable with) PoolError only.
 */
export interface StreamingInfer {
  inferStream(query: Query, ctx: CallContext): AsyncIterable<InferEvent>;
}

/** The service the edges call: `InferService`, optionally able to stream. */
export type EdgeService = InferService & Partial<StreamingInfer>;

/**
 * The events of one streamed query: the service's own stream, or (a service
 * that cannot stream) its answer alone. Every streaming edge reads this.
 */
export async function* inferEvents(service: EdgeService, query: Query, ctx: CallContext): AsyncGenerator<InferEvent> {
  if (!service.inferStream) {
    yield { kind: "answer", answer: await service.infer(query, ctx) };
    return;
  }
  yield* service.inferStream(query, ctx);
}
