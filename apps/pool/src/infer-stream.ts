import type { Answer, Query } from "@llm-pool/contract";
import type { CallContext, InferService } from "@llm-pool/core";

/**
 * One event of a streamed answer: text deltas from the provider that is
 * streaming, then exactly one answer, last.
 */
export type InferEvent =
  | { readonly kind: "delta"; readonly provider: string; readonly text: string }
  | { readonly kind: "answer"; readonly answer: Answer };

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
