import type { Clock } from "@llm-pool/core";
import type { Redis } from "ioredis";

const DAY_MS = 86_400_000;

/** The UTC day a time falls in, as "YYYYMMDD" (the quota's window). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
}

/** Milliseconds from `ms` to the next UTC midnight, when every daily quota starts again. */
export function msUntilNextUtcDay(ms: number): number {
  return DAY_MS - (ms % DAY_MS);
}

/**
 * Tokens used per tenant per UTC day, from the usage answers report
 * (R-SEC-6). A request is admitted while the day's total is below the
 * tenant's tokens_per_day; its tokens are added once it has answered, so the
 * last admitted request may overshoot by its own size.
 */
export interface TokenQuotaStore {
  usedToday(tenantId: string): Promise<number>;
  add(tenantId: string, tokens: number): Promise<void>;
}

export class MemoryTokenQuotaStore implements TokenQuotaStore {
  readonly #clock: Clock;
  #day = "";
  #used = new Map<string, number>();

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async usedToday(tenantId: string): Promise<number> {
    this.#roll();
    return this.#used.get(tenantId) ?? 0;
  }

  async add(tenantId: string, tokens: number): Promise<void> {
    this.#roll();
    this.#used.set(tenantId, (this.#used.get(tenantId) ?? 0) + tokens);
  }

  #roll(): void {
    const day = utcDay(this.#clock.now());
    if (day !== this.#day) {
      this.#day = day;
      this.#used = new Map();
    }
  }
}

/** Daily counters in Redis (INCRBY), shared by replicas; each expires a day after its day ends. */
export class RedisTokenQuotaStore implements TokenQuotaStore {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #prefix: string;

  constructor(options: { redis: Redis; clock: Clock; prefix?: string }) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#prefix = options.prefix ?? "llmpool:tokens:";
  }

  async usedToday(tenantId: string): Promise<number> {
    return Number((await this.#redis.get(this.#key(tenantId))) ?? 0);
  }

  async add(tenantId: string, tokens: number): Promise<void> {
    const key = this.#key(tenantId);
    await this.#redis.multi().incrby(key, tokens).pexpire(key, 2 * DAY_MS).exec();
  }

  #key(tenantId: string): string {
    return `${this.#prefix}${tenantId}:${utcDay(this.#clock.now())}`;
  }
}
