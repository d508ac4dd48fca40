import { setTimeout as delay } from "node:timers/promises";

/**
 * Time as the engine sees it: wall-clock milliseconds and an abortable sleep.
 * Injected so a test can drive the engine with a manual clock instead of real timers.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};

/** Sleeps only when there is something to wait for, so zero-cost steps never yield to a manual clock. */
export async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms > 0) await clock.sleep(ms, signal);
}
