import type { Redis } from "ioredis";
import type { CacheStore } from "../cache-store.js";

export const DEFAULT_CACHE_PREFIX = "llmpool:cache:";

export interface RedisCacheStoreOptions {
  /** A client from createFailFastRedis (no offline queue, command timeout, bounded retries). */
  readonly redis: Redis;
  /** Key prefix; default "llmpool:cache:" (flush with `--scan --pattern 'llmpool:cache:*'`). */
  readonly prefix?: string;
  /** A value larger than this is not stored; default 1 MiB. Redis's own `maxmemory` bounds the total. */
  readonly maxEntryBytes?: number;
}

/**
 * Answers in Redis, shared by every replica: `SET key <binary> PX ttl` and
 * `GET`. Expiry is Redis's; the total size is bounded by the server's
 * `maxmemory` with an LRU eviction policy (see docs/CACHE.md).
 */
export class RedisCacheStore implements CacheStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #maxEntryBytes: number;

  constructor(options: RedisCacheStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_CACHE_PREFIX;
    this.#maxEntryBytes = options.maxEntryBytes ?? 1_048_576;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.#redis.getBuffer(this.#prefix + key);
    return value ?? undefined;
  }

  async set(key: string, value: Uint8Array, ttlMs: number): Promise<boolean> {
    if (ttlMs <= 0 || value.byteLength > this.#maxEntryBytes) return false;
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    await this.#redis.set(this.#prefix + key, bytes, "PX", Math.ceil(ttlMs));
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}
