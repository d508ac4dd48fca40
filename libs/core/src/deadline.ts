import type { Clock } from "./clock.js";
import { Code } from "./code.js";
import { PoolError } from "./pool-error.js";

/**
 * Deadline is a point in time with an AbortSignal that fires there. It also
 * fires, with a Canceled reason, when its parent signal (the client's
 * connection) aborts. Every engine call receives `signal`, so a deadline
 * closes the upstream request.
 *
 * The signal, its timer and its listener on the parent are made when the
 * signal is first read: a query refused before any engine call (R-QOS-5)
 * reads only `at`, and pays for none of them.
 */
export class Deadline {
  readonly at: number;
  readonly #clock: Clock;
  readonly #budgetMs: number;
  readonly #parent: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #disposed = false;
  #cancelTimer: () => void = () => {};
  #detach: () => void = () => {};

  constructor(clock: Clock, at: number, parent?: AbortSignal) {
    this.#clock = clock;
    this.at = at;
    this.#budgetMs = Math.max(0, at - clock.now());
    this.#parent = parent;
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#arm()).signal;
  }

  /** The controller: aborted at once when the parent already has, else at the deadline or when the parent aborts. */
  #arm(): AbortController {
    const controller = new AbortController();
    if (this.#disposed) return controller;
    const parent = this.#parent;
    const onParentAbort = () => {
      const reason = parent?.reason;
      controller.abort(reason instanceof PoolError ? reason : new PoolError(Code.Canceled, "the client cancelled the request"));
    };
    if (parent?.aborted) {
      onParentAbort();
      return controller;
    }
    // A timer even when no time is left: the abort comes on a later tick, as listeners added next expect.
    this.#cancelTimer = this.#clock.setTimer(Math.max(0, this.at - this.#clock.now()), () =>
      controller.abort(new PoolError(Code.DeadlineExceeded, `deadline of ${this.#budgetMs} ms exceeded`)),
    );
    if (parent) {
      parent.addEventListener("abort", onParentAbort, { once: true });
      this.#detach = () => parent.removeEventListener("abort", onParentAbort);
    }
    return controller;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.at - this.#clock.now());
  }

  /** A deadline `ms` from now, capped by this one, cancelled with it. */
  child(ms: number): Deadline {
    return new Deadline(this.#clock, Math.min(this.at, this.#clock.now() + Math.max(0, ms)), this.signal);
  }

  /** Stops the timer and detaches from the parent; call when the work is done. */
  dispose(): void {
    this.#disposed = true;
    this.#cancelTimer();
    this.#detach();
  }
}

/**
 * The effective budget of a query in ms: the smallest of the query's own
 * `deadline_ms` (or the task default when 0) and the transport's deadline
 * (grpc-timeout, connect-timeout-ms), when the client sent one.
 */
export function effectiveDeadlineMs(queryMs: number, taskDefaultMs: number, transportMs?: number): number {
  const own = queryMs > 0 ? queryMs : taskDefaultMs;
  return transportMs !== undefined && transportMs > 0 ? Math.min(own, transportMs) : own;
}
