import { Redis } from "ioredis";

export interface FailFastRedisOptions {
  /**
   * A reply must arrive within this, or the command fails (a frozen Redis).
   * No default: the pool passes `[redis] command_timeout_ms`, so one field
   * sets it for the cache, the security stores and the win-rates.
   */
  readonly commandTimeoutMs: number;
  /** Connecting must succeed within this; default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts; default 2000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Receives connection errors (ioredis emits them as events; an unheard one would crash the process). */
  readonly onError?: (error: Error) => void;
}

/**
 * A Redis client that fails fast instead of waiting for Redis to come back.
 * By default ioredis queues commands while disconnected and retries each up
 * to 20 reconnections, so a dead or frozen Redis would hang every request.
 * Here: no offline queue (a command while disconnected fails at once), a
 * command timeout (a frozen server fails within it), one retry per command,
 * and reconnection in the background with capped backoff. The cache, the
 * security stores and the win-rates all connect this way, each behind an
 * OutageGate.
 */
export function createFailFastRedis(url: string, options: FailFastRedisOptions): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
    enableReadyCheck: true,
    lazyConnect: false,
  });
  redis.on("error", (error: Error) => options.onError?.(error));
  return redis;
}

/** Resolves when the client is ready (or rejects after `timeoutMs`): for startup and tests. */
export function redisReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
