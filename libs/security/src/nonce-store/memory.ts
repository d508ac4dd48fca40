import type { Clock } from "@llm-pool/core";
import { authUnavailable } from "../auth-failure.js";
import { signedBeforeEpoch, type NonceClaim, type NonceStore, type NonceWindow } from "../nonce-store.js";

export interface MemoryNonceStoreOptions {
  readonly clock: Clock;
  /** Beyond this many live nonces the store refuses (a bound on memory); default 1,000,000. */
  readonly maxEntries?: number;
  /**
   * The store's epoch: requests signed before it are refused, since the
   * process that saw them is gone. Default: now, when the store is built
   * (the process start, for the pool).
   */
  readonly epochMs?: number;
}

/**
 * Nonces in this process's memory: replay protection for one replica, and
 * the local fallback of the Redis store. Expired entries are swept as time
 * passes, so memory follows the traffic of the last window only.
 */
export class MemoryNonceStore implements NonceStore {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #epochMs: number;
  readonly #expiries = new Map<string, number>();
  #nextSweep = 0;

  constructor(options: MemoryNonceStoreOptions) {
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? 1_000_000;
    this.#epochMs = options.epochMs ?? options.clock.now();
  }

  get size(): number {
    return this.#expiries.size;
  }

  async claim(scope: string, nonce: string, window: NonceWindow): Promise<NonceClaim> {
    const now = this.#clock.now();
    if (now >= this.#nextSweep || this.#expiries.size >= this.#maxEntries) this.#sweep(now);
    if (this.holds(scope, nonce)) return "replayed";
    if (signedBeforeEpoch(window.signedAtMs, this.#epochMs)) return "before_epoch";
    if (this.#expiries.size >= this.#maxEntries) throw authUnavailable("store_unavailable", new Error(`nonce store is full (${this.#maxEntries} entries)`));
    this.#expiries.set(keyOf(scope, nonce), window.expiresAtMs);
    return "claimed";
  }

  /** True while `nonce` is recorded under `scope` and its window has not ended. */
  holds(scope: string, nonce: string): boolean {
    const expiry = this.#expiries.get(keyOf(scope, nonce));
    return expiry !== undefined && expiry > this.#clock.now();
  }

  #sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) if (expiry <= now) this.#expiries.delete(key);
    this.#nextSweep = now + 1_000;
  }
}

const keyOf = (scope: string, nonce: string) => `${scope}\n${nonce}`;
