import { Code, PoolError } from "@llm-pool/core";

/**
 * A signal for the service that aborts when the transport's does, with a
 * PoolError reason the core understands: deadline_exceeded when the
 * transport deadline passed, canceled otherwise (the client went away).
 */
/**
 * A signal for the service that aborts, as canceled, when the client goes away before its answer is written
 * (Node's response closes unfinished). REST's way: it has no transport deadline, and this costs one listener
 * where the WHATWG request's signal costs a Request and a chain of signals.
 */
export function clientGoneSignal(outgoing: { readonly writableFinished: boolean; once(event: "close", listener: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) controller.abort(new PoolError(Code.Canceled, "the client cancelled the request"));
  });
  return controller.signal;
}

export function poolSignal(transport: AbortSignal, isDeadline: (reason: unknown) => boolean): AbortSignal {
  const controller = new AbortController();
  const onAbort = () => {
    const reason: unknown = transport.reason;
    controller.abort(
      reason instanceof PoolError
        ? reason
        : isDeadline(reason)
          ? new PoolError(Code.DeadlineExceeded, "the transport deadline passed")
          : new PoolError(Code.Canceled, "the client cancelled the request"),
    );
  };
  if (transport.aborted) onAbort();
  else transport.addEventListener("abort", onAbort, { once: true });
  return controller.signal;
}
