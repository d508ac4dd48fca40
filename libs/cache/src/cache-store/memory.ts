import type { Clock } from "@llm-pool/core";
import type { CacheStore } from "../cache-store.js";

/** What one entry costs beside its value and key: the Map slot and the entry object, roughly. */
export const ENTRY_OVERHEAD_BYTES = 96;

export type EvictionReason = "entries" | "bytes" | "expired";

export interface MemoryCacheStoreOptions {
  readonly clock: Clock;
  /** At most this many entries (`[cache] max_entries`). */
  readonly maxEntries: number;
  /** At most this many bytes of values, keys and overhead (`[cache] max_bytes`). */
  readonly maxBytes: number;
  readonly onEvict?: (reason: EvictionReason) => void;
}

interface Entry {
  readonly value: Uint8Array;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * A least-recently-used cache bounded in entries and in bytes. A Map keeps
 * insertion order, so re-inserting on every read makes its first key the
 * least recently used one. Expired entries are dropped when met (on read, or
 * at the head of the LRU order while making room).
 */
export class MemoryCacheStore implements CacheStore {
  readonly #options: MemoryCacheStoreOptions;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: MemoryCacheStoreOptions) {
    this.#options = options;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held now (values, keys and per-entry overhead). */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#options.clock.now()) {
      this.#remove(key, entry);
      this.#options.onEvict?.("expired");
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: Uint8Array, ttlMs: number): Promise<boolean> {
    const bytes = value.byteLength + key.length + ENTRY_OVERHEAD_BYTES;
    if (ttlMs <= 0 || bytes > this.#options.maxBytes) return false;
    const previous = this.#entries.get(key);
    if (previous) this.#remove(key, previous);
    this.#entries.set(key, { value, expiresAt: this.#options.clock.now() + ttlMs, bytes });
    this.#bytes += bytes;
    this.#makeRoom();
    return true;
  }

  async delete(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry) this.#remove(key, entry);
  }

  /** Drops every entry (the in-process flush). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #makeRoom(): void {
    const { maxEntries, maxBytes, clock } = this.#options;
    const now = clock.now();
    for (const [key, entry] of this.#entries) {
      const overEntries = this.#entries.size > maxEntries;
      const overBytes = this.#bytes > maxBytes;
      if (!overEntries && !overBytes) return;
      this.#remove(key, entry);
      this.#options.onEvict?.(entry.expiresAt <= now ? "expired" : overEntries ? "entries" : "bytes");
    }
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
