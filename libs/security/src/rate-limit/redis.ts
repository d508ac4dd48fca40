import type { Clock } from "@llm-pool/core";
import type { Redis } from "ioredis";
import type { RateLimiter } from "../rate-limiter.js";
import { gcraParams, type RateDecision, type RateLimitPolicy } from "./gcra.js";

/**
 * gcra() of gcra.ts in Lua, run atomically by Redis: read TAT, decide,
 * write TAT, in one script, so concurrent requests from any number of
 * replicas are counted exactly. Numbers are integers in µs (exact in Lua's
 * doubles); TAT is stored with "%.0f" because tostring() would round it.
 * The key expires `margin` ms after the bucket is full again (Redis counts
 * the TTL on its own clock; the margin covers replicas whose clocks differ a
 * little, and a forgotten bucket is a full one, so it never admits more).
 */
export const GCRA_LUA = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local margin = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - interval * burst
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + margin)
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
`;

type GcraCommand = (key: string, nowUs: string, intervalUs: string, burst: string, marginMs: string) => Promise<[number, number, number, number]>;

/**
 * Buckets in Redis, shared by every replica. The script is sent once and
 * then run by its SHA (ioredis's defineCommand uses EVALSHA and falls back
 * to EVAL when Redis lost its script cache, e.g. after a restart).
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #prefix: string;
  readonly #marginMs: number;

  /** `expiryMarginMs`: how long a full bucket's key outlives it; default 1000. */
  constructor(options: { redis: Redis; clock: Clock; prefix?: string; expiryMarginMs?: number }) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#prefix = options.prefix ?? "llmpool:rate:";
    this.#marginMs = options.expiryMarginMs ?? 1_000;
    if (!("llmpoolGcra" in this.#redis)) this.#redis.defineCommand("llmpoolGcra", { numberOfKeys: 1, lua: GCRA_LUA });
  }

  async consume(key: string, policy: RateLimitPolicy): Promise<RateDecision> {
    const nowUs = Math.floor(this.#clock.now()) * 1000;
    const { intervalUs, burst } = gcraParams(policy);
    const command = (this.#redis as unknown as { llmpoolGcra: GcraCommand }).llmpoolGcra.bind(this.#redis);
    const [allowed, remaining, retryAfterUs, resetUs] = await command(
      this.#prefix + key,
      String(nowUs),
      String(intervalUs),
      String(burst),
      String(this.#marginMs),
    );
    return { allowed: allowed === 1, limit: burst, remaining, retryAfterUs, resetUs, intervalUs };
  }
}
