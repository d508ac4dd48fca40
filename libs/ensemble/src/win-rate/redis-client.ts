import { Redis } from "ioredis";

export interface WinRateRedisOptions {
  /** A reply must arrive within this, or the command fails (a frozen Redis); default 150 ms. */
  readonly commandTimeoutMs?: number;
  /** Connecting must succeed within this; default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts; default 2000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Receives connection errors (ioredis emits them as events; an unheard one would crash the process). */
  readonly onError?: (error: Error) => void;
}

/**
 * A Redis client for the win-rate store that fails fast, like the cache's and
 * security's: no offline queue (a command while disconnected fails at once),
 * a short command timeout (a frozen server fails within it), one retry per
 * command, reconnection in the background with capped backoff. Win-rates
 * only tune WEIGHTED, so a slow Redis must never hold a decision.
 */
export function createWinRateRedis(url: string, options: WinRateRedisOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 150,
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
    enableReadyCheck: true,
    lazyConnect: false,
  });
  redis.on("error", (error: Error) => options.onError?.(error));
  return redis;
}
