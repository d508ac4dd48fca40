/**
 * Remembers nonces until their timestamp's window ends (R-SEC-2). Only
 * nonces of requests whose signature verified are ever claimed, so unsigned
 * traffic can neither burn a nonce nor fill the store.
 */
export interface NonceStore {
  /**
   * Records `nonce` under `scope` (the key id) until `expiresAtMs`. Resolves
   * true the first time, false for a nonce already recorded (a replay).
   * Rejects when the store cannot answer (Redis down or hung).
   */
  claim(scope: string, nonce: string, expiresAtMs: number): Promise<boolean>;
}
