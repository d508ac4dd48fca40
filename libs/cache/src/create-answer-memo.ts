import type { ConfigSnapshot } from "@llm-pool/config";
import type { AnswerCache, Clock, IdempotencyGuard } from "@llm-pool/core";
import { createFailFastRedis, OutageGate, redisReady, type FailFastRedisOptions } from "@llm-pool/redis";
import type { Redis } from "ioredis";
import { StoredAnswerCache } from "./answer-cache.js";
import type { CacheObserver } from "./cache-observer.js";
import { MemoryCacheStore } from "./cache-store/memory.js";
import { RedisCacheStore } from "./cache-store/redis.js";
import { StoredIdempotencyGuard, type IdempotencyFailureMode } from "./idempotency-guard.js";
import { MemoryIdempotencyStore } from "./idempotency-store/memory.js";
import { RedisIdempotencyStore } from "./idempotency-store/redis.js";

export interface AnswerMemoOptions {
  /**
   * The snapshot in force. The one at start picks the driver, the memory
   * bounds and the Redis client (`[redis] command_timeout_ms`); a change of
   * those needs a restart.
   */
  readonly config: () => ConfigSnapshot;
  /** Where the Redis URL is read from (`[cache] redis_url_env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly observer?: CacheObserver;
  /** What a request with a client request_id meets when Redis is down; default "open". */
  readonly idempotencyOnStoreFailure?: IdempotencyFailureMode;
  /** Whether tenants share cache entries; default never (see docs/CACHE.md for the proposed config field). */
  readonly shareAcrossTenants?: (config: ConfigSnapshot) => boolean;
  /** How long Redis is skipped after a failure; default 1000 ms. */
  readonly storeDownForMs?: number;
  /** A client to use instead of one built from redis_url_env (close() leaves it open). */
  readonly redis?: Redis;
  /** Overrides for the client built from the config (connection errors, tests). */
  readonly redisOptions?: Partial<FailFastRedisOptions>;
  /** Key prefix in Redis; default "llmpool:" (entries under `<prefix>cache:`, ids under `<prefix>idem:`). */
  readonly redisPrefix?: string;
}

/** The cache and idempotency stages for `new Orchestrator({ cache, idempotency })`. */
export interface AnswerMemo {
  readonly cache: AnswerCache;
  readonly idempotency: IdempotencyGuard;
  /** "memory" or "redis", as chosen at start. */
  readonly driver: ConfigSnapshot["cache"]["driver"];
  /** Resolves once Redis (if used) is connected, or rejects after `timeoutMs`; requests never wait for it. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds both stages from `[cache]`: a bounded LRU and an in-process lease
 * table (driver "memory"), or both on one Redis client (driver "redis").
 */
export function createAnswerMemo(options: AnswerMemoOptions): AnswerMemo {
  const { clock, observer } = options;
  const initial = options.config().cache;
  const common = {
    clock,
    ...(observer && { observer }),
    ...(options.storeDownForMs === undefined ? {} : { storeDownForMs: options.storeDownForMs }),
  };
  const guardOptions = { ...common, onStoreFailure: options.idempotencyOnStoreFailure ?? "open" } as const;
  const cacheOptions = { ...common, ...(options.shareAcrossTenants && { shareAcrossTenants: options.shareAcrossTenants }) };

  if (initial.driver === "memory") {
    return {
      driver: "memory",
      cache: new StoredAnswerCache({
        ...cacheOptions,
        store: new MemoryCacheStore({ clock, maxEntries: initial.max_entries, maxBytes: initial.max_bytes }),
      }),
      idempotency: new StoredIdempotencyGuard({
        ...guardOptions,
        store: new MemoryIdempotencyStore({ clock, maxEntries: initial.max_entries, maxBytes: initial.max_bytes }),
      }),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }

  const redis =
    options.redis ??
    createFailFastRedis(redisUrl(initial, options.env), { commandTimeoutMs: options.config().redis.command_timeout_ms, ...options.redisOptions });
  const prefix = options.redisPrefix ?? "llmpool:";
  // One gate for the one client: a request pays a hung Redis's command timeout at most once.
  const gate = new OutageGate({ clock, ...(options.storeDownForMs === undefined ? {} : { downForMs: options.storeDownForMs }) });
  return {
    driver: "redis",
    cache: new StoredAnswerCache({ ...cacheOptions, gate, store: new RedisCacheStore({ redis, prefix: `${prefix}cache:` }) }),
    idempotency: new StoredIdempotencyGuard({ ...guardOptions, gate, store: new RedisIdempotencyStore({ redis, prefix: `${prefix}idem:` }) }),
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async close() {
      if (!options.redis) redis.disconnect();
    },
  };
}

function redisUrl(cache: ConfigSnapshot["cache"], env: Readonly<Record<string, string | undefined>>): string {
  const url = cache.redis_url_env === null ? undefined : env[cache.redis_url_env];
  if (!url) throw new Error(`cache.redis_url_env: environment variable ${cache.redis_url_env ?? "(none)"} is not set`);
  return url;
}
