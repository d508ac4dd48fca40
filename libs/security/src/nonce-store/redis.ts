import type { Clock } from "@llm-pool/core";
import type { Redis } from "ioredis";
import type { NonceClaim, NonceStore, NonceWindow } from "../nonce-store.js";

/**
 * One claim, atomically: read the store's epoch (writing it on the first use
 * of an empty Redis), refuse a request signed before it (whole seconds, as
 * signedBeforeEpoch), else `SET nonce 1 PXAT <end of window> NX`. Returns
 * 1 claimed, 0 replayed, 2 signed before the epoch.
 */
export const NONCE_CLAIM_LUA = `
local epoch = tonumber(redis.call('GET', KEYS[1]))
if epoch == nil then
  epoch = tonumber(ARGV[1])
  redis.call('SET', KEYS[1], ARGV[1])
end
if math.floor(tonumber(ARGV[2]) / 1000) < math.floor(epoch / 1000) then return 2 end
if redis.call('SET', KEYS[2], '1', 'PXAT', ARGV[3], 'NX') then return 1 end
return 0
`;

type ClaimCommand = (epochKey: string, nonceKey: string, nowMs: string, signedAtMs: string, expiresAtMs: string) => Promise<number>;

const CLAIMS: Record<number, NonceClaim> = { 0: "replayed", 1: "claimed", 2: "before_epoch" };

export interface RedisNonceStoreOptions {
  /** A client from createFailFastRedis (no offline queue, command timeout, bounded retries). */
  readonly redis: Redis;
  /** Writes the epoch on first use. */
  readonly clock: Clock;
  /** Key prefix; default "llmpool:nonce:". */
  readonly prefix?: string;
  /** Where the store's epoch (ms) lives; default "llmpool:nonce-epoch". */
  readonly epochKey?: string;
}

/** A nonce recorded elsewhere (the local fallback), to be written back. */
export interface RecordedNonce {
  readonly scope: string;
  readonly nonce: string;
  readonly expiresAtMs: number;
}

/**
 * Nonces in Redis, shared by every replica: one script per claim, so of many
 * concurrent copies of a request exactly one claims the nonce, and a Redis
 * that came back empty starts a new epoch instead of forgetting silently.
 * The epoch is written when a replica connects to an empty Redis, or else by
 * the first claim that finds none.
 */
export class RedisNonceStore implements NonceStore {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #prefix: string;
  readonly #epochKey: string;

  constructor(options: RedisNonceStoreOptions) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#prefix = options.prefix ?? "llmpool:nonce:";
    this.#epochKey = options.epochKey ?? "llmpool:nonce-epoch";
    if (!("llmpoolNonceClaim" in this.#redis)) this.#redis.defineCommand("llmpoolNonceClaim", { numberOfKeys: 2, lua: NONCE_CLAIM_LUA });
    // An empty Redis gets its epoch as soon as this replica (re)connects to it, not at the first claim:
    // a request signed a moment before that first claim is then not refused for predating it.
    this.#redis.on("ready", () => void this.#startEpoch());
    if (this.#redis.status === "ready") void this.#startEpoch();
  }

  /** Writes the epoch if Redis has none (`SET NX`); the claim script covers any failure here. */
  async #startEpoch(): Promise<void> {
    await this.#redis.set(this.#epochKey, String(Math.floor(this.#clock.now())), "NX").catch(() => undefined);
  }

  async claim(scope: string, nonce: string, window: NonceWindow): Promise<NonceClaim> {
    const command = (this.#redis as unknown as { llmpoolNonceClaim: ClaimCommand }).llmpoolNonceClaim.bind(this.#redis);
    const reply = await command(
      this.#epochKey,
      this.#key(scope, nonce),
      String(Math.floor(this.#clock.now())),
      String(Math.floor(window.signedAtMs)),
      String(Math.ceil(window.expiresAtMs)),
    );
    return CLAIMS[reply] ?? "replayed";
  }

  /**
   * Writes nonces recorded elsewhere into Redis (`SET NX PXAT`, pipelined),
   * so the other replicas refuse them too; already expired ones are skipped.
   */
  async restore(nonces: readonly RecordedNonce[]): Promise<void> {
    const now = this.#clock.now();
    const live = nonces.filter((n) => n.expiresAtMs > now);
    for (let i = 0; i < live.length; i += 500) {
      const pipeline = this.#redis.pipeline();
      for (const n of live.slice(i, i + 500)) pipeline.set(this.#key(n.scope, n.nonce), "1", "PXAT", Math.ceil(n.expiresAtMs), "NX");
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    }
  }

  #key(scope: string, nonce: string): string {
    return `${this.#prefix}${scope}:${nonce}`;
  }
}
