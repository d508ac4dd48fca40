/**
 * Runs tasks one at a time in arrival order: an embedded model has one context
 * sequence, so its calls are serialized. A waiting task whose signal aborts
 * leaves the line without running.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** Tasks running or waiting. */
  get pending(): number {
    return this.#pending;
  }

  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.#pending++;
    const turn = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    const finish = () => {
      this.#pending--;
      release();
    };
    return new Promise<T>((resolve, reject) => {
      let started = false;
      const onAbort = () => {
        if (started) return;
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      void turn.then(async () => {
        signal?.removeEventListener("abort", onAbort);
        if (signal?.aborted) {
          finish();
          reject(signal.reason);
          return;
        }
        started = true;
        try {
          resolve(await task());
        } catch (error) {
          reject(error);
        } finally {
          finish();
        }
      });
    });
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await this.run(async () => {});
  }
}
