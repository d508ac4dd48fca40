import type { Clock } from "@llm-pool/core";
import type { Redis } from "ioredis";
import { QUOTA_COUNTER_TTL_MS, utcDay, type QuotaDecision, type TokenQuotaStore } from "./token-quota.js";

/**
 * A reservation, atomically: when the day's count is below the limit, add
 * the tokens. Returns {1, count after} or {0, the count that refused it}.
 */
export const QUOTA_RESERVE_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[2]) then return {0, used} end
used = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, used}
`;

/**
 * A settlement: add the difference between used and reserved tokens. A
 * counter lost meanwhile (Redis restarted empty) is not driven below zero,
 * which would give the tenant tokens it never had.
 */
export const QUOTA_SETTLE_LUA = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used < 0 then redis.call('SET', KEYS[1], '0') end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return used
`;

type ReserveCommand = (key: string, tokens: string, limit: string, ttlMs: string) => Promise<[number, number]>;
type SettleCommand = (key: string, delta: string, ttlMs: string) => Promise<number>;

/** Daily counters in Redis, shared by every replica; each expires a day after its day ends. */
export class RedisTokenQuotaStore implements TokenQuotaStore {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #prefix: string;

  constructor(options: { redis: Redis; clock: Clock; prefix?: string }) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#prefix = options.prefix ?? "llmpool:tokens:";
    if (!("llmpoolQuotaReserve" in this.#redis)) {
      this.#redis.defineCommand("llmpoolQuotaReserve", { numberOfKeys: 1, lua: QUOTA_RESERVE_LUA });
      this.#redis.defineCommand("llmpoolQuotaSettle", { numberOfKeys: 1, lua: QUOTA_SETTLE_LUA });
    }
  }

  async usedToday(tenantId: string): Promise<number> {
    return Number((await this.#redis.get(this.#key(tenantId))) ?? 0);
  }

  async reserve(tenantId: string, tokens: number, limit: number): Promise<QuotaDecision> {
    const key = this.#key(tenantId);
    const commands = this.#redis as unknown as { llmpoolQuotaReserve: ReserveCommand; llmpoolQuotaSettle: SettleCommand };
    const [admitted, used] = await commands.llmpoolQuotaReserve.call(this.#redis, key, String(tokens), String(limit), String(QUOTA_COUNTER_TTL_MS));
    if (admitted !== 1) return { admitted: false, used };
    return {
      admitted: true,
      hold: {
        settle: async (usedTokens) => {
          if (usedTokens === tokens) return;
          await commands.llmpoolQuotaSettle.call(this.#redis, key, String(usedTokens - tokens), String(QUOTA_COUNTER_TTL_MS));
        },
      },
    };
  }

  #key(tenantId: string): string {
    return `${this.#prefix}${tenantId}:${utcDay(this.#clock.now())}`;
  }
}
