import type { Clock } from "@llm-pool/core";
import type { NonceClaim, NonceStore, NonceWindow } from "../nonce-store.js";
import type { SecurityObserver } from "../security-observer.js";
import type { StoreGuard } from "../store-guard.js";
import type { MemoryNonceStore } from "./memory.js";
import type { RecordedNonce, RedisNonceStore } from "./redis.js";

export interface GuardedNonceStoreOptions {
  readonly remote: RedisNonceStore;
  /** This replica's memory: the fallback while Redis is down (on_store_failure = "local"). */
  readonly local: MemoryNonceStore;
  readonly guard: StoreGuard;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
}

/**
 * The Redis nonces behind the outage guard. Nonces the local fallback
 * recorded during an outage stay authoritative for their whole window after
 * Redis returns (Redis never saw them): every claim asks memory first, so a
 * request accepted during the outage is a replay on this replica; and the
 * first claim Redis answers again writes them back to Redis, so the other
 * replicas refuse them too from then on.
 */
export class GuardedNonceStore implements NonceStore {
  readonly #options: GuardedNonceStoreOptions;
  /** Recorded locally and not yet written back. */
  #pending: RecordedNonce[] = [];
  #pruneAt = 1_024;

  constructor(options: GuardedNonceStoreOptions) {
    this.#options = options;
  }

  async claim(scope: string, nonce: string, window: NonceWindow): Promise<NonceClaim> {
    const { remote, local, guard } = this.#options;
    if (local.holds(scope, nonce)) return "replayed";
    let remoteAnswered = false;
    const claim = await guard.run(
      async () => {
        const result = await remote.claim(scope, nonce, window);
        remoteAnswered = true;
        return result;
      },
      async () => {
        const result = await local.claim(scope, nonce, window);
        if (result === "claimed") this.#remember({ scope, nonce, expiresAtMs: window.expiresAtMs });
        return result;
      },
    );
    if (remoteAnswered && this.#pending.length > 0) await this.#writeBack();
    return claim;
  }

  #remember(recorded: RecordedNonce): void {
    this.#pending.push(recorded);
    if (this.#pending.length >= this.#pruneAt) {
      this.#pending = this.#live(this.#pending);
      this.#pruneAt = Math.max(1_024, this.#pending.length * 2);
    }
  }

  /** Never fails the request that carries it: on failure the nonces wait for the next answered claim. */
  async #writeBack(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    try {
      await this.#options.remote.restore(pending);
    } catch (error) {
      this.#pending = [...this.#live(pending), ...this.#pending];
      this.#options.observer?.storeFailed?.("nonce", error);
    }
  }

  #live(nonces: readonly RecordedNonce[]): RecordedNonce[] {
    const now = this.#options.clock.now();
    return nonces.filter((n) => n.expiresAtMs > now);
  }
}
