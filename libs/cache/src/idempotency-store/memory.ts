import type { Clock } from "@llm-pool/core";
import {
  doneRecord,
  viewOf,
  type IdempotencyStore,
  type LeaseRecord,
  type LeaseRequest,
  type LeaseResult,
  type LeaseView,
} from "../idempotency-store.js";

export interface MemoryIdempotencyStoreOptions {
  readonly clock: Clock;
  /** At most this many ids; the oldest finished ones go first. Default 100 000. */
  readonly maxEntries?: number;
  /** At most this many bytes of stored answers; default 64 MiB. */
  readonly maxBytes?: number;
}

interface Slot {
  readonly record: LeaseRecord;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * The in-process twin of the Redis store: the same leases and records,
 * bounded in entries and bytes, expiring on the injected clock. It holds
 * within one process only.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;

  constructor(options: MemoryIdempotencyStoreOptions) {
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  get size(): number {
    return this.#slots.size;
  }

  async acquire(key: string, lease: LeaseRequest): Promise<LeaseView> {
    const slot = this.#live(key);
    if (slot) return viewOf(slot.record);
    this.#put(key, { s: "p", fp: lease.fingerprint, o: lease.owner }, lease.leaseMs);
    return { kind: "acquired" };
  }

  async complete(key: string, result: LeaseResult): Promise<boolean> {
    const slot = this.#live(key);
    if (slot && slot.record.o !== result.owner) return false;
    this.#put(key, doneRecord(result), result.ttlMs);
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    const slot = this.#live(key);
    if (slot && slot.record.s === "p" && slot.record.o === owner) this.#drop(key, slot);
  }

  #live(key: string): Slot | undefined {
    const slot = this.#slots.get(key);
    if (slot && slot.expiresAt <= this.#clock.now()) {
      this.#drop(key, slot);
      return undefined;
    }
    return slot;
  }

  #put(key: string, record: LeaseRecord, ttlMs: number): void {
    const previous = this.#slots.get(key);
    if (previous) this.#drop(key, previous);
    const bytes = key.length + (record.a?.length ?? 0) + record.fp.length + record.o.length;
    this.#slots.set(key, { record, expiresAt: this.#clock.now() + ttlMs, bytes });
    this.#bytes += bytes;
    for (const [oldKey, old] of this.#slots) {
      if (this.#slots.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      // A running lease is never evicted: that would let a duplicate run.
      if (old.record.s === "d" || old.expiresAt <= this.#clock.now()) this.#drop(oldKey, old);
    }
  }

  #drop(key: string, slot: Slot): void {
    this.#slots.delete(key);
    this.#bytes -= slot.bytes;
  }
}
