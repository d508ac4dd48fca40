import type { Clock } from "./clock.js";

interface Sleeper {
  at: number;
  order: number;
  resolve: () => void;
  detach: () => void;
}

/**
 * A clock that moves only when told to. Sleeps resolve in due order during `advance`;
 * code that sleeps again after waking needs another `advance` (await its progress first).
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #order = 0;

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** How many sleeps are waiting for the clock to move. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        at: this.#now + ms,
        order: this.#order++,
        resolve,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Moves time forward, waking every sleep that falls due on the way, earliest first. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#sleepers
        .filter((s) => s.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== due);
      this.#now = due.at;
      due.detach();
      due.resolve();
    }
    this.#now = target;
  }
}
