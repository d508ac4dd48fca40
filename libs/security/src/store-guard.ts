import type { Clock } from "@llm-pool/core";
import { authUnavailable } from "./auth-failure.js";
import type { SecurityObserver, StoreName } from "./security-observer.js";

/**
 * What happens when Redis is down or hung: "refuse" answers 503 unavailable
 * at once; "local" serves the request from this replica's memory (replay
 * protection and limits then hold per replica only) and reports it.
 */
export type StoreFailureMode = "refuse" | "local";

export interface StoreGuardOptions {
  readonly store: StoreName;
  readonly mode: StoreFailureMode;
  readonly clock: Clock;
  /**
   * After a failure, Redis is not asked again for this long: requests get
   * the configured behaviour at once instead of each waiting out the
   * command timeout. Default 1000 ms.
   */
  readonly downForMs?: number;
  readonly observer?: SecurityObserver;
}

/**
 * Runs a store operation against Redis, and on failure applies the
 * configured behaviour. A request waits at most the Redis client's command
 * timeout (a frozen Redis), or nothing (a dead one: no offline queue); for
 * `downForMs` after a failure it does not wait at all.
 */
export class StoreGuard {
  readonly #options: StoreGuardOptions;
  #downUntil = -Infinity;

  constructor(options: StoreGuardOptions) {
    this.#options = options;
  }

  /** True while Redis is being skipped after a failure. */
  get down(): boolean {
    return this.#options.clock.now() < this.#downUntil;
  }

  async run<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.down) return this.#degraded(local, undefined);
    try {
      return await remote();
    } catch (error) {
      this.#downUntil = this.#options.clock.now() + (this.#options.downForMs ?? 1_000);
      this.#options.observer?.storeFailed?.(this.#options.store, error);
      return this.#degraded(local, error);
    }
  }

  #degraded<T>(local: () => Promise<T>, cause: unknown): Promise<T> {
    if (this.#options.mode === "refuse") {
      this.#options.observer?.storeDegraded?.(this.#options.store, "refused");
      throw authUnavailable("store_unavailable", cause);
    }
    this.#options.observer?.storeDegraded?.(this.#options.store, "local_fallback");
    return local();
  }
}
