import { createFailFastRedis, type FailFastRedisOptions } from "@llm-pool/redis";
import type { Redis } from "ioredis";

export { redisReady } from "@llm-pool/redis";
export type SecurityRedisOptions = FailFastRedisOptions;

/** The security stores' Redis client (nonces, rate limits, quotas), with a 250 ms command timeout. */
export function createSecurityRedis(url: string, options: SecurityRedisOptions = {}): Redis {
  return createFailFastRedis(url, { commandTimeoutMs: 250, ...options });
}
