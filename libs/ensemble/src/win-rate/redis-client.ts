import { createFailFastRedis, type FailFastRedisOptions } from "@llm-pool/redis";
import type { Redis } from "ioredis";

export type WinRateRedisOptions = FailFastRedisOptions;

/** The win-rate store's Redis client: win-rates only tune WEIGHTED, so a slow Redis never holds a decision. */
export function createWinRateRedis(url: string, options: WinRateRedisOptions = {}): Redis {
  return createFailFastRedis(url, { commandTimeoutMs: 150, ...options });
}
