import type { InferObserver, InferRecord } from "@llm-pool/core";

/**
 * Hands each finished query's record (its log line and metrics) to `inner` once the I/O callbacks of the
 * event-loop turn that finished it have run (setImmediate), in the order the queries finished: the answer is
 * written first and the record is turned into a line after, so under a burst of answers every answer of the burst
 * goes out before any of their lines is built, and at one connection the line is built while the client reads.
 * `flush` hands over what is pending at once (shutdown). A failing observer costs its record, never the others.
 */
export class DeferredObserver implements InferObserver {
  readonly #inner: InferObserver;
  readonly #onError: (error: unknown) => void;
  #pending: InferRecord[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  constructor(inner: InferObserver, onError: (error: unknown) => void) {
    this.#inner = inner;
    this.#onError = onError;
  }

  onInfer(record: InferRecord): void {
    this.#pending.push(record);
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const records = this.#pending;
    this.#pending = [];
    for (const record of records) {
      try {
        this.#inner.onInfer(record);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
