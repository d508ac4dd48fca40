import type { Clock } from "./clock.js";
import { Code } from "./code.js";
import { PoolError } from "./pool-error.js";

/**
 * Deadline is a point in time with an AbortSignal that fires there. It also
 * fires, with a Canceled reason, when its parent signal (the client's
 * connection) aborts. Every engine call receives `signal`, so a deadline
 * closes the upstream request.
 */
export class Deadline {
  readonly at: number;
  readonly signal: AbortSignal;
  readonly #clock: Clock;
  readonly #budgetMs: number;
  readonly #controller = new AbortController();
  readonly #cancelTimer: () => void;
  readonly #detach: () => void;

  constructor(clock: Clock, at: number, parent?: AbortSignal) {
    this.#clock = clock;
    this.at = at;
    this.#budgetMs = Math.max(0, at - clock.now());
    this.signal = this.#controller.signal;
    this.#cancelTimer = clock.setTimer(this.#budgetMs, () =>
      this.#controller.abort(new PoolError(Code.DeadlineExceeded, `deadline of ${this.#budgetMs} ms exceeded`)),
    );
    const onParentAbort = () => {
      const reason = parent?.reason;
      this.#controller.abort(
        reason instanceof PoolError ? reason : new PoolError(Code.Canceled, "the client cancelled the request"),
      );
    };
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener("abort", onParentAbort, { once: true });
    this.#detach = () => parent?.removeEventListener("abort", onParentAbort);
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
