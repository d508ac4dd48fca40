import { Code, PoolError, type Clock } from "@llm-pool/core";

/**
 * Waits for `work`, but no later than `untilMs` on `clock` (then a
 * DeadlineExceeded PoolError, or `onTimeout`'s error) and no longer than the
 * caller stays (then the signal's reason). The work itself goes on for
 * whoever else waits for it.
 */
export function waitBounded<T>(
  work: Promise<T>,
  options: { clock: Clock; untilMs: number; signal: AbortSignal; onTimeout?: () => Error },
): Promise<T> {
  const { clock, untilMs, signal } = options;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const done = () => {
      cancelTimer();
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal.reason);
    };
    const cancelTimer = clock.setTimer(Math.max(0, untilMs - clock.now()), () => {
      signal.removeEventListener("abort", onAbort);
      reject(options.onTimeout?.() ?? new PoolError(Code.DeadlineExceeded, "the deadline passed while waiting for an identical query"));
    });
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/**
 * A copy of a shared failure for one more caller: the orchestrator tags each
 * error with its request id, and a shared PoolError would carry the first
 * caller's id to everyone.
 */
export function ownCopy(error: unknown): unknown {
  if (!(error instanceof PoolError)) return error;
  return new PoolError(error.code, error.message, { ...(error.field === undefined ? {} : { field: error.field }), cause: error });
}
