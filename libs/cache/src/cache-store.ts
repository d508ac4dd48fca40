/**
 * Where cached answers live: opaque bytes (an Answer's protobuf binary) under
 * a hex key, each with its own time to live. Implementations: `memory` (a
 * bounded LRU in this process) and `redis` (shared by every replica).
 * Errors (a Redis outage) are thrown; the answer cache turns them into misses.
 */
export interface CacheStore {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Stores `value` for `ttlMs`; false when the store refuses it (larger than it may hold). */
  set(key: string, value: Uint8Array, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}
