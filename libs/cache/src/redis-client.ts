import { createFailFastRedis, type FailFastRedisOptions } from "@llm-pool/redis";
import type { Redis } from "ioredis";

export { redisReady } from "@llm-pool/redis";
export type CacheRedisOptions = FailFastRedisOptions;

/** The cache's Redis client: an optimisation, so a slow Redis costs a request at most 150 ms. */
export function createCacheRedis(url: string, options: CacheRedisOptions = {}): Redis {
  return createFailFastRedis(url, { commandTimeoutMs: 150, ...options });
}
