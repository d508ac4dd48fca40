/**
 * Remembers nonces until their timestamp's window ends (R-SEC-2). Only
 * nonces of requests whose signature verified are ever claimed, so unsigned
 * traffic can neither burn a nonce nor fill the store.
 *
 * A store also has an epoch: the moment it began remembering (the process
 * start for memory; the first use of an empty Redis, which a restart without
 * persistence or an eviction empties). Nonces from before the epoch may have
 * been lost, so a request signed before it is refused instead of trusted.
 */
export interface NonceStore {
  /**
   * Records `nonce` under `scope` (the key id) until `window.expiresAtMs`:
   * "claimed" the first time, "replayed" for a nonce already recorded,
   * "before_epoch" for a request signed before the store's epoch.
   * Rejects when the store cannot answer (Redis down or hung).
   */
  claim(scope: string, nonce: string, window: NonceWindow): Promise<NonceClaim>;
}

export type NonceClaim = "claimed" | "replayed" | "before_epoch";

export interface NonceWindow {
  /** The request's X-Timestamp, in ms. */
  readonly signedAtMs: number;
  /** The end of the timestamp's window: after it the timestamp alone refuses the request. */
  readonly expiresAtMs: number;
}

/**
 * True when a request signed at `signedAtMs` predates a store epoch. Whole
 * seconds, as X-Timestamp has: a request signed in the epoch's own second
 * passes, so a fresh request is never refused because the store began a
 * moment earlier in the same second. (The Redis store's Lua does the same.)
 */
export function signedBeforeEpoch(signedAtMs: number, epochMs: number): boolean {
  return Math.floor(signedAtMs / 1000) < Math.floor(epochMs / 1000);
}
