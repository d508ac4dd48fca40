import type { Clock } from "@llm-pool/core";
import { authUnavailable } from "../auth-failure.js";
import type { NonceStore } from "../nonce-store.js";

export interface MemoryNonceStoreOptions {
  readonly clock: Clock;
  /** Beyond this many live nonces the store refuses (a bound on memory); default 1,000,000. */
  readonly maxEntries?: number;
}

/**
 * Nonces in this process's memory: replay protection for one replica, and
 * the local fallback of the Redis store. Expired entries are swept as time
 * passes, so memory follows the traffic of the last window only.
 */
export class MemoryNonceStore implements NonceStore {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #expiries = new Map<string, number>();
  #nextSweep = 0;

  constructor(options: MemoryNonceStoreOptions) {
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? 1_000_000;
  }

  get size(): number {
    return this.#expiries.size;
  }

  async claim(scope: string, nonce: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#clock.now();
    if (now >= this.#nextSweep || this.#expiries.size >= this.#maxEntries) this.#sweep(now);
    const key = `${scope}\n${nonce}`;
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (this.#expiries.size >= this.#maxEntries) throw authUnavailable("store_unavailable", new Error(`nonce store is full (${this.#maxEntries} entries)`));
    this.#expiries.set(key, expiresAtMs);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) if (expiry <= now) this.#expiries.delete(key);
    this.#nextSweep = now + 1_000;
  }
}
