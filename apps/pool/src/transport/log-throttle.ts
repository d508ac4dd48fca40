import type { Clock } from "@llm-pool/core";

/**
 * Lets one log line per key through every `intervalMs`, and says how many
 * were held back since the last one: an attack or an fd shortage must not
 * turn the log into a second flood.
 */
export class LogThrottle {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #keys = new Map<string, { lastAt: number; held: number }>();

  constructor(clock: Clock, intervalMs: number) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
  }

  /** Undefined while `key` is held back; else how many lines for it were held back before this one. */
  pass(key: string): { suppressed: number } | undefined {
    const now = this.#clock.now();
    const state = this.#keys.get(key);
    if (state && now - state.lastAt < this.#intervalMs) {
      state.held++;
      return undefined;
    }
    this.#keys.set(key, { lastAt: now, held: 0 });
    return { suppressed: state?.held ?? 0 };
  }
}
