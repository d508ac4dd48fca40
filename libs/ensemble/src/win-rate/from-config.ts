import type { ConfigSnapshot } from "@llm-pool/config";
import type { Clock, TaskName } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import type { Redis } from "ioredis";
import type { WinRateStore } from "../win-rate.js";
import { MemoryWinRateStore } from "./memory.js";
import { RedisWinRateStore } from "./redis.js";

export interface WinRatesFromConfigDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** A failed Redis call of the store or its client; never a failed request. */
  readonly onError?: (error: unknown) => void;
  /** A client to use instead of one built from win_rate_redis_url_env (close() leaves it open). */
  readonly redis?: Redis;
}

/** The store `[ensemble]` asks for, plus what the composition root needs around it. */
export interface ConfiguredWinRates {
  readonly kind: "memory" | "redis";
  /** For createEnsemble({ winRates }). */
  readonly store: WinRateStore;
  /** The current rate, synchronously, from memory (for the R-OBS-1 gauge). */
  rate(task: TaskName, provider: string): number;
  /** Resolves once Redis (if used) is connected, or rejects after `timeoutMs`; decisions never wait for it. */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops background work and closes a client this built. */
  close(): Promise<void>;
}

/**
 * Builds the win-rate store of `[ensemble] win_rate_store` with
 * `win_rate_half_life_ms`, on Redis with `[redis] command_timeout_ms`. Read
 * once: the store holds history, so switching it means a restart.
 */
export function winRatesFromConfig(config: ConfigSnapshot, deps: WinRatesFromConfigDeps): ConfiguredWinRates {
  const { ensemble } = config;
  if (ensemble.win_rate_store === "memory") {
    const store = new MemoryWinRateStore({ clock: deps.clock, halfLifeMs: ensemble.win_rate_half_life_ms });
    return {
      kind: "memory",
      store,
      rate: (task, provider) => store.rate(task, provider),
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const name = ensemble.win_rate_redis_url_env;
  const url = name === null ? undefined : deps.env[name];
  if (!deps.redis && !url) {
    throw new Error(`ensemble.win_rate_redis_url_env: environment variable ${name ?? "(none)"} is not set`);
  }
  const commandTimeoutMs = config.redis.command_timeout_ms;
  const redis = deps.redis ?? createFailFastRedis(url!, { commandTimeoutMs, onError: (error) => deps.onError?.(error) });
  const store = new RedisWinRateStore({
    redis,
    clock: deps.clock,
    halfLifeMs: ensemble.win_rate_half_life_ms,
    // The same bound as the client's, for a client handed in by the caller too.
    timeoutMs: commandTimeoutMs,
    tasks: Object.keys(config.tasks) as TaskName[],
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  return {
    kind: "redis",
    store,
    rate: (task, provider) => store.rate(task, provider),
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async close() {
      await store.close();
      if (!deps.redis) redis.disconnect();
    },
  };
}

/** One gauge sample per (provider, task) the config can compare: every task's providers and fallbacks. */
export function winRateSamples(
  config: ConfigSnapshot,
  rate: (task: TaskName, provider: string) => number,
): { provider: string; task: string; rate: number }[] {
  const samples: { provider: string; task: string; rate: number }[] = [];
  for (const task of Object.values(config.tasks)) {
    for (const provider of new Set([...task.providers, ...task.fallback_providers])) {
      samples.push({ provider, task: task.name, rate: rate(task.name, provider) });
    }
  }
  return samples;
}
