import { randomUUID } from "node:crypto";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ConfigSnapshot } from "@llm-pool/config";
import { AnswerSchema, type Answer } from "@llm-pool/contract";
import { Code, PoolError, sleep, type Clock, type IdempotencyGuard, type MemoContext } from "@llm-pool/core";
import { OutageGate, type GateResult } from "@llm-pool/redis";
import { idempotencyKey, queryFingerprint } from "./answer-key.js";
import type { CacheObserver } from "./cache-observer.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import { waitBounded } from "./wait-bound.js";

/**
 * What a request with a client request_id meets when the store is down:
 * "open" runs it without cross-replica idempotency (duplicates within this
 * process still share one run), "closed" refuses it with Code.Unavailable.
 */
export type IdempotencyFailureMode = "open" | "closed";

export interface StoredIdempotencyGuardOptions {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  readonly observer?: CacheObserver;
  /** Default "open". */
  readonly onStoreFailure?: IdempotencyFailureMode;
  /** How long the store is skipped after a failure; default 1000 ms (ignored with `gate`). */
  readonly storeDownForMs?: number;
  /** A gate shared with the other stage on the same Redis client. */
  readonly gate?: OutageGate;
  /** First pause between looks at an id another replica is answering; doubles up to `maxPollMs`. Default 20 ms. */
  readonly pollMs?: number;
  /** Default 200 ms. */
  readonly maxPollMs?: number;
  /** How long an unfinished lease lives; default `qos.max_deadline_ms` + 5 s (no request runs longer). */
  readonly leaseMs?: (config: ConfigSnapshot) => number;
  readonly newOwner?: () => string;
}

/** A run of this process that local duplicates wait for; resolves to undefined when it failed. */
interface LocalRun {
  readonly fingerprint: string;
  readonly result: Promise<Uint8Array | undefined>;
}

interface Finished {
  readonly answer: Answer;
  readonly bytes: Uint8Array;
}

/**
 * The idempotency stage (R-CACHE-2), per tenant and client request_id: the
 * first request takes a lease and runs; a concurrent duplicate waits for its
 * result (in this process by a shared promise, across replicas by polling
 * the store) up to its own deadline; a finished id replays the stored Answer
 * byte for byte; the same id with another query is refused with
 * Code.Conflict. A failed run releases the lease and stores nothing.
 */
export class StoredIdempotencyGuard implements IdempotencyGuard {
  readonly #options: StoredIdempotencyGuardOptions;
  readonly #gate: OutageGate;
  readonly #local = new Map<string, LocalRun>();

  constructor(options: StoredIdempotencyGuardOptions) {
    this.#options = options;
    this.#gate =
      options.gate ??
      new OutageGate({ clock: options.clock, ...(options.storeDownForMs === undefined ? {} : { downForMs: options.storeDownForMs }) });
  }

  async once(ctx: MemoContext, compute: () => Promise<Answer>): Promise<Answer> {
    const key = idempotencyKey(ctx.scope.tenant, ctx.requestId);
    const fingerprint = queryFingerprint(ctx);
    // A duplicate waits no longer than its own budget.
    const untilMs = this.#options.clock.now() + ctx.valid.deadlineMs;
    for (;;) {
      const local = this.#local.get(key);
      if (!local) break;
      if (local.fingerprint !== fingerprint) throw this.#conflict(ctx);
      const bytes = await waitBounded(local.result, {
        clock: this.#options.clock,
        untilMs,
        signal: ctx.signal,
        onTimeout: () => this.#inFlight(ctx),
      });
      if (bytes) {
        this.#options.observer?.idempotency?.("waited");
        return fromBinary(AnswerSchema, bytes);
      }
      // The first run failed and released the id: take it (or wait for whoever did).
    }

    let settle!: (bytes: Uint8Array | undefined) => void;
    const result = new Promise<Uint8Array | undefined>((resolve) => (settle = resolve));
    this.#local.set(key, { fingerprint, result });
    try {
      const finished = await this.#claim(ctx, compute, key, fingerprint, untilMs);
      this.#local.delete(key);
      settle(finished.bytes);
      return finished.answer;
    } catch (error) {
      this.#local.delete(key);
      settle(undefined);
      throw error;
    }
  }

  async #claim(ctx: MemoContext, compute: () => Promise<Answer>, key: string, fingerprint: string, untilMs: number): Promise<Finished> {
    const { clock, store, observer } = this.#options;
    const owner = (this.#options.newOwner ?? randomUUID)();
    const leaseMs = this.#options.leaseMs?.(ctx.config) ?? ctx.config.qos.max_deadline_ms + 5_000;
    let pollMs = this.#options.pollMs ?? 20;
    let waited = false;
    for (;;) {
      const view = await this.#call("acquire", () => store.acquire(key, { fingerprint, owner, leaseMs }));
      if (!view.ok) {
        // A timed-out SET NX may still land when a frozen Redis wakes; undo it behind it on the same connection.
        if (!view.skipped) store.release(key, owner).catch(() => undefined);
        return this.#withoutStore(compute);
      }
      const held = view.value;
      if (held.kind === "acquired") {
        observer?.idempotency?.("first");
        return this.#runHolding(ctx, compute, key, fingerprint, owner);
      }
      if (held.fingerprint !== fingerprint) throw this.#conflict(ctx);
      if (held.kind === "done") {
        observer?.idempotency?.(waited ? "waited" : "replayed");
        return { answer: fromBinary(AnswerSchema, held.answer), bytes: held.answer };
      }
      // Another replica is answering this id: look again shortly, until our own deadline.
      waited = true;
      const left = untilMs - clock.now();
      if (left <= 0) throw this.#inFlight(ctx);
      await sleep(clock, Math.min(pollMs, left), ctx.signal);
      pollMs = Math.min(pollMs * 2, this.#options.maxPollMs ?? 200);
    }
  }

  async #runHolding(ctx: MemoContext, compute: () => Promise<Answer>, key: string, fingerprint: string, owner: string): Promise<Finished> {
    const { store } = this.#options;
    let answer: Answer;
    try {
      answer = await compute();
    } catch (error) {
      // Failures are not stored: free the id so a retry runs. If this fails too, the lease expires on its own.
      await this.#call("release", () => store.release(key, owner));
      throw error;
    }
    const bytes = toBinary(AnswerSchema, answer);
    // A failed store costs the replay, not the answer: it is returned either way.
    await this.#call("complete", () =>
      store.complete(key, { fingerprint, owner, answer: bytes, ttlMs: ctx.config.cache.idempotency_ttl_ms }),
    );
    return { answer, bytes };
  }

  async #call<T>(operation: string, call: () => Promise<T>): Promise<GateResult<T>> {
    const result = await this.#gate.run(operation, call);
    if (!result.ok && result.opened) this.#options.observer?.storeFailed?.("idempotency", operation, result.error);
    return result;
  }

  async #withoutStore(compute: () => Promise<Answer>): Promise<Finished> {
    const { observer } = this.#options;
    if ((this.#options.onStoreFailure ?? "open") === "closed") {
      observer?.idempotency?.("refused");
      throw new PoolError(
        Code.Unavailable,
        "request_id deduplication is unavailable right now (its store is down); retry shortly",
        { field: "request_id" },
      );
    }
    observer?.idempotency?.("bypassed");
    const answer = await compute();
    return { answer, bytes: toBinary(AnswerSchema, answer) };
  }

  #conflict(ctx: MemoContext): PoolError {
    this.#options.observer?.idempotency?.("conflict");
    const minutes = Math.round(ctx.config.cache.idempotency_ttl_ms / 60_000);
    return new PoolError(
      Code.Conflict,
      `request_id "${ctx.requestId}" was already used for a different query; a request_id names one query for ${minutes} minutes, so send a new query with a new request_id`,
      { field: "request_id" },
    );
  }

  #inFlight(ctx: MemoContext): PoolError {
    this.#options.observer?.idempotency?.("in_flight");
    return new PoolError(
      Code.Conflict,
      `request_id "${ctx.requestId}" is still being answered by an earlier request; retry after it finishes`,
      { field: "request_id" },
    );
  }
}
