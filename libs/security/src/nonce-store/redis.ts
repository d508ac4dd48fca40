import type { Redis } from "ioredis";
import type { NonceStore } from "../nonce-store.js";

export interface RedisNonceStoreOptions {
  /** A client from createSecurityRedis (no offline queue, command timeout, bounded retries). */
  readonly redis: Redis;
  /** Key prefix; default "llmpool:nonce:". */
  readonly prefix?: string;
}

/**
 * Nonces in Redis, shared by every replica: `SET key 1 NX PXAT <end of the
 * timestamp's window>`, one atomic command, so of many concurrent copies of
 * a request exactly one claims the nonce.
 */
export class RedisNonceStore implements NonceStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisNonceStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? "llmpool:nonce:";
  }

  async claim(scope: string, nonce: string, expiresAtMs: number): Promise<boolean> {
    const reply = await this.#redis.set(`${this.#prefix}${scope}:${nonce}`, "1", "PXAT", Math.ceil(expiresAtMs), "NX");
    return reply === "OK";
  }
}
