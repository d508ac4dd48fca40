import type { OutageGate } from "@llm-pool/redis";
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
  /**
   * The outage gate of the Redis client the store is on: it bounds the wait,
   * skips Redis for a while after a failure and says which failure to
   * report. The stores on one client share one, so a request meets a hung
   * Redis's command timeout at most once, not once per store.
   */
  readonly gate: OutageGate;
  readonly observer?: SecurityObserver;
}

/**
 * Runs a store operation against Redis through the outage gate, and when it
 * fails or is skipped applies the configured behaviour: refuse (503) or the
 * local fallback. The outage is reported once (`storeFailed`), each request
 * that meets it is counted (`storeDegraded`).
 */
export class StoreGuard {
  readonly #options: StoreGuardOptions;

  constructor(options: StoreGuardOptions) {
    this.#options = options;
  }

  async run<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    const { store, gate, observer } = this.#options;
    const result = await gate.run(store, remote);
    if (result.ok) return result.value;
    if (result.opened) observer?.storeFailed?.(store, result.error);
    return this.#degraded(local, result.skipped ? undefined : result.error);
  }

  #degraded<T>(local: () => Promise<T>, cause: unknown): Promise<T> {
    const { store, mode, observer } = this.#options;
    if (mode === "refuse") {
      observer?.storeDegraded?.(store, "refused");
      throw authUnavailable("store_unavailable", cause);
    }
    observer?.storeDegraded?.(store, "local_fallback");
    return local();
  }
}
