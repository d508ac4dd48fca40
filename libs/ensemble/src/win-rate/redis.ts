import type { Clock, TaskName } from "@llm-pool/core";
import { OutageGate } from "@llm-pool/redis";
import type { Redis } from "ioredis";
import type { WinRateStore } from "../win-rate.js";
import { parseTally, rateOf, RECORD_WIN_RATE_LUA, type StoredTally } from "./redis-tally.js";

export interface RedisWinRateOptions {
  /** A client from createFailFastRedis (no offline queue, a command timeout); the store never closes it. */
  readonly redis: Redis;
  readonly clock: Clock;
  /** As MemoryWinRateStore: past wins and losses weigh half as much after this long. Default one hour. */
  readonly halfLifeMs?: number;
  /** As MemoryWinRateStore: pseudo-decisions, half won, in every history. Default 2. */
  readonly priorDecisions?: number;
  /** Key prefix, one hash per task; default "llmpool:winrate:v1:". */
  readonly prefix?: string;
  /**
   * A task's key expires this many half-lives after its last write. Default
   * 8: by then its history weighs under 0.4%, so forgetting it changes
   * nothing that matters.
   */
  readonly ttlHalfLives?: number;
  /** How often the local cache is reloaded from Redis (other replicas' wins); default 1000 ms. */
  readonly refreshMs?: number;
  /** Cached rates of a task not synced with Redis for longer than this read as the prior; default 15 s. */
  readonly maxStaleMs?: number;
  /** Any Redis call gets this long, whatever the client's own timeouts (the gate's `timeoutMs`); default 250 ms. */
  readonly timeoutMs?: number;
  /** After a failure, Redis is left alone this long: writes are dropped at once, reads use the cache. Default 1 s. */
  readonly downForMs?: number;
  /** Tasks to load at once (the others load the first time they are seen). */
  readonly tasks?: readonly TaskName[];
  /** Each failed Redis call (one per failure, not one per dropped write). */
  readonly onError?: (error: unknown) => void;
}

interface CachedTask {
  /** When the last reply about this task was asked for, on `clock`. */
  syncedAt: number;
  readonly tallies: Map<string, SeenTally>;
}

/**
 * A tally and the number of the call that read or wrote it. Replies come back
 * in order, but their continuations may run out of order (a refresh has more
 * async steps than a write), so an older reply never overwrites a newer one.
 */
interface SeenTally {
  readonly tally: StoredTally;
  readonly seq: number;
}

type RecordCommand = (key: string, ...args: string[]) => Promise<string[]>;
const COMMAND = "llmpoolWinRateRecord";

/**
 * A WinRateStore on Redis, shared by every replica, with MemoryWinRateStore's
 * decay. Writes run one Lua script (decay, add, expire) so concurrent
 * decisions of any number of replicas all count. Reads never wait for
 * Redis: each replica keeps the tallies of the tasks it has seen in memory,
 * reloaded every `refreshMs` (one pipelined HGETALL per task) and patched by
 * the reply of its own writes, and decays them to "now" when asked. So a
 * decision costs no round trip, sees its own replica's wins at once and the
 * others' within `refreshMs`.
 *
 * Redis down or frozen: every call is bounded by `timeoutMs`, a failure is
 * reported to `onError` and Redis is skipped for `downForMs`; writes in that
 * time are dropped, reads keep the cache for up to `maxStaleMs` and then give
 * the neutral 0.5. Neither `rates` nor `record` ever rejects. Writes are
 * never retried: one that timed out on a frozen Redis may still land when it
 * wakes up, but no decision is ever counted twice.
 */
export class RedisWinRateStore implements WinRateStore {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #halfLifeMs: number;
  readonly #prior: number;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #refreshMs: number;
  readonly #maxStaleMs: number;
  readonly #gate: OutageGate;
  readonly #onError: (error: unknown) => void;
  readonly #cache = new Map<TaskName, CachedTask>();
  readonly #known = new Set<TaskName>();
  #seq = 0;
  #dropped = 0;
  #refreshing: Promise<void> | undefined;
  #again = false;
  #cancelTimer: () => void = () => {};
  #closed = false;
  readonly #onReady = () => this.#refreshSoon();

  constructor(options: RedisWinRateOptions) {
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#halfLifeMs = options.halfLifeMs ?? 3_600_000;
    this.#prior = options.priorDecisions ?? 2;
    this.#prefix = options.prefix ?? "llmpool:winrate:v1:";
    this.#ttlMs = Math.ceil((options.ttlHalfLives ?? 8) * this.#halfLifeMs);
    this.#refreshMs = options.refreshMs ?? 1_000;
    this.#maxStaleMs = options.maxStaleMs ?? 15_000;
    this.#gate = new OutageGate({ clock: this.#clock, timeoutMs: options.timeoutMs ?? 250, downForMs: options.downForMs ?? 1_000 });
    this.#onError = options.onError ?? (() => {});
    if (!(this.#halfLifeMs > 0)) throw new RangeError("halfLifeMs must be positive");
    if (!(this.#prior > 0)) throw new RangeError("priorDecisions must be positive");
    if (!(this.#ttlMs > 0)) throw new RangeError("ttlHalfLives must be positive");
    if (!(this.#refreshMs > 0)) throw new RangeError("refreshMs must be positive");
    if (!(COMMAND in this.#redis)) this.#redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: RECORD_WIN_RATE_LUA });
    for (const task of options.tasks ?? []) this.#known.add(task);
    // A (re)connected Redis may hold what other replicas wrote meanwhile, or nothing after a restart.
    this.#redis.on("ready", this.#onReady);
    if (this.#known.size > 0) this.#refreshSoon();
    this.#schedule();
  }

  /** From the local cache: never a round trip, never a rejection. */
  rates(task: TaskName, providers: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return Promise.resolve(new Map(providers.map((p) => [p, this.rate(task, p)])));
  }

  /** Resolves once Redis has the decision, or once it is dropped (at most `timeoutMs`). */
  async record(task: TaskName, won: readonly string[], lost: readonly string[]): Promise<void> {
    this.#see(task);
    if (this.#closed || this.#gate.down) {
      this.#dropped++;
      return;
    }
    const sentAt = this.#clock.now();
    const seq = ++this.#seq;
    const losers = lost.filter((l) => !won.includes(l));
    const args = [String(sentAt), String(this.#halfLifeMs), String(this.#ttlMs), String(won.length), ...won, ...losers];
    const command = (this.#redis as unknown as Record<typeof COMMAND, RecordCommand>)[COMMAND].bind(this.#redis);
    const reply = await this.#call("record", () => command(this.#keyOf(task), ...args));
    if (reply === undefined) {
      this.#dropped++;
      return;
    }
    const cached = this.#cache.get(task) ?? { syncedAt: sentAt, tallies: new Map<string, SeenTally>() };
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const tally = parseTally(reply[i + 1]!);
      const provider = reply[i]!;
      if (tally && (cached.tallies.get(provider)?.seq ?? -1) < seq) cached.tallies.set(provider, { tally, seq });
    }
    cached.syncedAt = Math.max(cached.syncedAt, sentAt);
    this.#cache.set(task, cached);
  }

  /** The current rate from the local cache, synchronously (WEIGHTED, metrics); 0.5 when unknown or stale. */
  rate(task: TaskName, provider: string): number {
    this.#see(task);
    const now = this.#clock.now();
    const cached = this.#cache.get(task);
    if (!cached || now - cached.syncedAt > this.#maxStaleMs) return 0.5;
    return rateOf(cached.tallies.get(provider)?.tally, now, this.#halfLifeMs, this.#prior);
  }

  /** Reloads every known task from Redis now; resolves when done or given up (never rejects). */
  async refresh(): Promise<void> {
    const tasks = [...this.#known];
    if (this.#closed || tasks.length === 0 || this.#gate.down) return;
    const sentAt = this.#clock.now();
    const seq = ++this.#seq;
    const replies = await this.#call("refresh", async () => {
      const pipeline = this.#redis.pipeline();
      for (const task of tasks) pipeline.hgetall(this.#keyOf(task));
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, hash]) => {
        if (error) throw error;
        return hash as Record<string, string>;
      });
    });
    if (replies === undefined) return;
    tasks.forEach((task, i) => {
      // What a newer call already told us stays; the rest is as Redis has it now (gone if expired).
      const cached = this.#cache.get(task);
      const tallies = new Map([...(cached?.tallies ?? [])].filter(([, seen]) => seen.seq > seq));
      for (const [provider, value] of Object.entries(replies[i] ?? {})) {
        const tally = parseTally(value);
        if (tally && !tallies.has(provider)) tallies.set(provider, { tally, seq });
      }
      this.#cache.set(task, { syncedAt: Math.max(sentAt, cached?.syncedAt ?? sentAt), tallies });
    });
  }

  /** Writes given up because Redis was down, did not answer in time, or was being skipped. */
  get droppedWrites(): number {
    return this.#dropped;
  }

  /** Stops the background refresh; the client stays open (its owner closes it). */
  close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer();
    this.#redis.off("ready", this.#onReady);
    return this.#refreshing ?? Promise.resolve();
  }

  #keyOf(task: TaskName): string {
    return this.#prefix + task;
  }

  /** A task seen for the first time is loaded in the background; until then it reads as the prior. */
  #see(task: TaskName): void {
    if (this.#known.has(task)) return;
    this.#known.add(task);
    this.#refreshSoon();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#cancelTimer = this.#clock.setTimer(this.#refreshMs, () => {
      this.#refreshSoon();
      this.#schedule();
    });
  }

  /** At most one background refresh at a time; a request meanwhile runs one more after it. */
  #refreshSoon(): void {
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = this.refresh().finally(() => {
      this.#refreshing = undefined;
      if (this.#again) {
        this.#again = false;
        this.#refreshSoon();
      }
    });
  }

  /** Runs one Redis call through the outage gate; on failure reports the outage once and resolves undefined. */
  async #call<T>(operation: string, work: () => Promise<T>): Promise<T | undefined> {
    const result = await this.#gate.run(operation, work);
    if (result.ok) return result.value;
    if (result.opened) {
      const message = `win-rate store: Redis ${operation} failed; skipping Redis for ${this.#gate.downForMs} ms`;
      this.#onError(new Error(message, { cause: result.error }));
    }
    return undefined;
  }
}
