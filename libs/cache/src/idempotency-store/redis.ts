import type { Redis } from "ioredis";
import {
  doneRecord,
  viewOf,
  type IdempotencyStore,
  type LeaseRecord,
  type LeaseRequest,
  type LeaseResult,
  type LeaseView,
} from "../idempotency-store.js";

export const DEFAULT_IDEMPOTENCY_PREFIX = "llmpool:idem:";

// SET NX PX, and on failure what holds the id, in one atomic round trip.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`;

// Only the lease holder finishes an id (or anyone, if the lease expired and no one took it).
const COMPLETE = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).o ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

const RELEASE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.s == 'p' and record.o == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisIdempotencyStoreOptions {
  /** A client from createFailFastRedis (no offline queue, command timeout, bounded retries). */
  readonly redis: Redis;
  /** Key prefix; default "llmpool:idem:". */
  readonly prefix?: string;
}

/**
 * Leases and finished answers in Redis, shared by every replica: the first
 * request of an id wins `SET NX PX`; the record says who holds it, for which
 * query, and, once done, the Answer's binary.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_IDEMPOTENCY_PREFIX;
  }

  async acquire(key: string, lease: LeaseRequest): Promise<LeaseView> {
    const pending: LeaseRecord = { s: "p", fp: lease.fingerprint, o: lease.owner };
    const held = (await this.#redis.eval(ACQUIRE, 1, this.#prefix + key, JSON.stringify(pending), Math.ceil(lease.leaseMs))) as string | null;
    return held === null ? { kind: "acquired" } : viewOf(JSON.parse(held) as LeaseRecord);
  }

  async complete(key: string, result: LeaseResult): Promise<boolean> {
    const record = JSON.stringify(doneRecord(result));
    const reply = await this.#redis.eval(COMPLETE, 1, this.#prefix + key, record, result.owner, Math.ceil(result.ttlMs));
    return reply === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.#redis.eval(RELEASE, 1, this.#prefix + key, owner);
  }
}
