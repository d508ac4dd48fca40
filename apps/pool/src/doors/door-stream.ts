import type { Query } from "@llm-pool/contract";
import { Code, PoolError, type CallContext } from "@llm-pool/core";
import { poolSignal } from "../call-signal.js";
import { inferEvents, type EdgeService, type InferEvent } from "../infer-stream.js";

/** A streamed query that has produced its first event. */
export interface OpenedStream {
  readonly first: InferEvent;
  /** The events after the first; ends after the answer or throws a PoolError. */
  readonly rest: AsyncIterator<InferEvent>;
  /** Stops the query (the client went away): its engine calls are cancelled. */
  cancel(): void;
}

/**
 * Starts a streamed query and waits for its first event before anything is
 * written, so a query refused before it produced anything (its bounds, the
 * tenant's limits, no provider) still gets a plain error response with its
 * HTTP status, which is what clients turn into their typed errors. The
 * query is cancelled when the request's signal aborts or `cancel` is called.
 */
export async function openStream(
  service: EdgeService,
  query: Query,
  requestSignal: AbortSignal,
  ctx: Omit<CallContext, "signal">,
): Promise<OpenedStream> {
  const stop = new AbortController();
  const signal = poolSignal(AbortSignal.any([requestSignal, stop.signal]), () => false);
  const events = inferEvents(service, query, { ...ctx, signal })[Symbol.asyncIterator]();
  const cancel = () => stop.abort(new PoolError(Code.Canceled, "the client closed the stream"));
  try {
    const first = await events.next();
    if (first.done) throw new PoolError(Code.Internal, "the stream ended without an answer");
    return { first: first.value, rest: events, cancel };
  } catch (error) {
    cancel();
    throw error;
  }
}

/**
 * Every event of an opened stream, the first included, up to and with the
 * answer. Throws the query's PoolError when it fails mid-stream, and an
 * Internal one when the service ends without an answer.
 */
export async function* eventsOf(opened: OpenedStream): AsyncGenerator<InferEvent> {
  let current = opened.first;
  try {
    for (;;) {
      yield current;
      if (current.kind === "answer") return;
      const next = await opened.rest.next();
      if (next.done) throw new PoolError(Code.Internal, "the stream ended without an answer");
      current = next.value;
    }
  } finally {
    // A reader that stops early (the client went away) closes the service's stream, which ends its call.
    await opened.rest.return?.();
  }
}

/**
 * A response body that writes each frame as the generator yields it, pulled
 * (so a slow client slows the reading, not the pool's memory). A client
 * that goes away cancels the body, which cancels the query.
 */
export function frameBody(frames: AsyncGenerator<string>, cancel: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      cancel();
      await frames.return(undefined);
    },
  });
}
