import { clone, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ConfigSnapshot } from "@llm-pool/config";
import { AnswerSchema, type Answer } from "@llm-pool/contract";
import type { AnswerCache, Clock, MemoContext } from "@llm-pool/core";
import { OutageGate, type GateResult } from "@llm-pool/redis";
import { answerCacheKey } from "./answer-key.js";
import type { CacheObserver } from "./cache-observer.js";
import { cacheBypass, isCacheable } from "./cache-policy.js";
import type { CacheStore } from "./cache-store.js";
import { ownCopy, waitBounded } from "./wait-bound.js";

export interface StoredAnswerCacheOptions {
  readonly store: CacheStore;
  readonly clock: Clock;
  readonly observer?: CacheObserver;
  /** Whether tenants share entries, read per request from its snapshot; default never. */
  readonly shareAcrossTenants?: (config: ConfigSnapshot) => boolean;
  /** How long the store is skipped after a failure; default 1000 ms (ignored with `gate`). */
  readonly storeDownForMs?: number;
  /** A gate shared with the other stage on the same Redis client. */
  readonly gate?: OutageGate;
}

/** One running miss that identical concurrent queries wait for. */
interface Flight {
  readonly answer: Promise<Answer>;
  /** The leader's client; when it leaves, the run is cancelled and followers start over. */
  readonly signal: AbortSignal;
}

/**
 * The answer cache stage (R-CACHE-1, R-CACHE-3). A hit returns a copy of the
 * stored Answer with `from_cache` set and this request's id and duration. A
 * miss runs the ensemble once for all identical concurrent misses in this
 * process; each follower gets its own copy. A store failure is a miss (and a
 * skipped store), never an error.
 */
export class StoredAnswerCache implements AnswerCache {
  readonly #options: StoredAnswerCacheOptions;
  readonly #gate: OutageGate;
  readonly #flights = new Map<string, Flight>();

  constructor(options: StoredAnswerCacheOptions) {
    this.#options = options;
    this.#gate =
      options.gate ??
      new OutageGate({ clock: options.clock, ...(options.storeDownForMs === undefined ? {} : { downForMs: options.storeDownForMs }) });
  }

  /** Identical misses running now (for tests and gauges). */
  get inFlight(): number {
    return this.#flights.size;
  }

  through(ctx: MemoContext, compute: () => Promise<Answer>): Promise<Answer> {
    return this.#through(ctx, compute, this.#options.clock.now());
  }

  async #through(ctx: MemoContext, compute: () => Promise<Answer>, startedAt: number): Promise<Answer> {
    const { observer } = this.#options;
    const task = ctx.valid.task.name;
    const bypass = cacheBypass(ctx);
    if (bypass) {
      observer?.bypassed?.(task, bypass);
      return compute();
    }
    const key = answerCacheKey(ctx, { shareAcrossTenants: this.#options.shareAcrossTenants?.(ctx.config) ?? false });

    const running = this.#flights.get(key);
    if (running) return this.#follow(running, ctx, compute, startedAt);
    const hit = await this.#lookup(key);
    if (hit) {
      observer?.hit?.(task);
      return this.#copyFor(hit, ctx, startedAt);
    }
    // Checked again: another identical query may have started while we looked.
    const started = this.#flights.get(key);
    if (started) return this.#follow(started, ctx, compute, startedAt);
    observer?.miss?.(task);
    return this.#lead(key, ctx, compute);
  }

  #lead(key: string, ctx: MemoContext, compute: () => Promise<Answer>): Promise<Answer> {
    const answer = (async () => {
      const computed = await compute();
      await this.#store(key, computed, ctx);
      return computed;
    })();
    this.#flights.set(key, { answer, signal: ctx.signal });
    const land = () => this.#flights.delete(key);
    answer.then(land, land);
    return answer;
  }

  async #follow(flight: Flight, ctx: MemoContext, compute: () => Promise<Answer>, startedAt: number): Promise<Answer> {
    this.#options.observer?.coalesced?.(ctx.valid.task.name);
    try {
      const answer = await waitBounded(flight.answer, {
        clock: this.#options.clock,
        untilMs: startedAt + ctx.valid.deadlineMs,
        signal: ctx.signal,
      });
      return this.#copyFor(answer, ctx, startedAt);
    } catch (error) {
      // The leader's client went away, not ours: run it again (one of the followers leads).
      if (flight.signal.aborted && !ctx.signal.aborted) return this.#through(ctx, compute, startedAt);
      throw ownCopy(error);
    }
  }

  async #lookup(key: string): Promise<Answer | undefined> {
    const { store } = this.#options;
    const found = await this.#call("get", () => store.get(key));
    if (!found.ok || !found.value) return undefined;
    try {
      return fromBinary(AnswerSchema, found.value);
    } catch (error) {
      // Not an Answer (another writer, a truncated value): drop it and count a miss.
      this.#options.observer?.storeFailed?.("cache", "decode", error);
      await this.#call("delete", () => store.delete(key));
      return undefined;
    }
  }

  async #store(key: string, answer: Answer, ctx: MemoContext): Promise<void> {
    const { store, observer } = this.#options;
    const task = ctx.valid.task.name;
    if (!isCacheable(answer, ctx)) {
      observer?.notStored?.(task, "not_cacheable");
      return;
    }
    const bytes = toBinary(AnswerSchema, answer);
    const stored = await this.#call("set", () => store.set(key, bytes, ctx.valid.task.cache_ttl_ms));
    if (!stored.ok) observer?.notStored?.(task, "store_down");
    else if (!stored.value) observer?.notStored?.(task, "too_large");
    else observer?.stored?.(task, bytes.byteLength);
  }

  async #call<T>(operation: string, call: () => Promise<T>): Promise<GateResult<T>> {
    const result = await this.#gate.run(operation, call);
    if (!result.ok && result.opened) this.#options.observer?.storeFailed?.("cache", operation, result.error);
    return result;
  }

  /** The shared answer as this request's own: its id, its tenant and project, its duration. */
  #copyFor(answer: Answer, ctx: MemoContext, startedAt: number): Answer {
    const copy = clone(AnswerSchema, answer);
    copy.requestId = ctx.requestId;
    copy.tenantId = ctx.scope.tenant;
    copy.projectId = ctx.scope.project;
    copy.fromCache = true;
    copy.durationMs = Math.max(0, Math.round(this.#options.clock.now() - startedAt));
    return copy;
  }
}
