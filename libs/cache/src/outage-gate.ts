import type { Clock } from "@llm-pool/core";

export type GateResult<T> =
  | { readonly ok: true; readonly value: T }
  /** `skipped`: the store was not called (the gate is down); otherwise this call failed. */
  | { readonly ok: false; readonly error: unknown; readonly skipped: boolean };

export interface OutageGateOptions {
  readonly clock: Clock;
  /**
   * After a failure the store is not asked again for this long: requests
   * meet the degraded behaviour at once instead of each waiting out the
   * command timeout. Default 1000 ms.
   */
  readonly downForMs?: number;
}

/** The error of a call the gate did not make because the store is held down. */
export class StoreDownError extends Error {
  override readonly name = "StoreDownError";
}

/**
 * Runs store operations and remembers a failure for a short while. With a
 * Redis client that has no offline queue and a command timeout, a request
 * waits at most one command timeout for a hung Redis, nothing for a dead
 * one, and nothing at all while the gate is down. The cache and the
 * idempotency stage share one gate per Redis client, so one request pays
 * the timeout at most once.
 */
export class OutageGate {
  readonly #options: OutageGateOptions;
  #downUntil = -Infinity;

  constructor(options: OutageGateOptions) {
    this.#options = options;
  }

  /** True while the store is being skipped after a failure. */
  get down(): boolean {
    return this.#options.clock.now() < this.#downUntil;
  }

  async run<T>(operation: string, call: () => Promise<T>): Promise<GateResult<T>> {
    if (this.down) return { ok: false, error: new StoreDownError(`store skipped after a recent failure (${operation})`), skipped: true };
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      this.#downUntil = this.#options.clock.now() + (this.#options.downForMs ?? 1_000);
      return { ok: false, error, skipped: false };
    }
  }
}
