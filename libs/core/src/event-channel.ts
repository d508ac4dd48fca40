/**
 * A queue between callbacks that produce events and one consumer that
 * iterates them: `push` never blocks (events are a few per generated token,
 * bounded by max_tokens), `end` and `fail` close it, and the iterator
 * yields what was pushed, then ends or throws.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  readonly #queue: T[] = [];
  #closed = false;
  #failure: { readonly error: unknown } | undefined;
  #wake: (() => void) | undefined;

  push(event: T): void {
    if (this.#closed) return;
    this.#queue.push(event);
    this.#notify();
  }

  end(): void {
    this.#closed = true;
    this.#notify();
  }

  fail(error: unknown): void {
    if (this.#closed) return;
    this.#failure = { error };
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const event = this.#queue.shift();
      if (event !== undefined) {
        yield event;
        continue;
      }
      if (this.#closed) {
        if (this.#failure) throw this.#failure.error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
