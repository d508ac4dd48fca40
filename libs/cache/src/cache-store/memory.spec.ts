import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { ENTRY_OVERHEAD_BYTES, MemoryCacheStore, type EvictionReason } from "./memory.js";

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
/** What an entry of `n` value bytes under a one-character key costs. */
const cost = (n: number) => n + 1 + ENTRY_OVERHEAD_BYTES;

function store(maxEntries: number, maxBytes: number) {
  const clock = new FakeClock();
  const evicted: EvictionReason[] = [];
  return { clock, evicted, lru: new MemoryCacheStore({ clock, maxEntries, maxBytes, onEvict: (r) => evicted.push(r) }) };
}

describe("MemoryCacheStore: a bounded LRU (R-CACHE-1)", () => {
  it("R-CACHE-1: holds at most max_entries, dropping the least recently used", async () => {
    const { lru, evicted } = store(3, 1_000_000);
    await lru.set("a", bytes(1), 60_000);
    await lru.set("b", bytes(1), 60_000);
    await lru.set("c", bytes(1), 60_000);
    await lru.get("a"); // a is now the most recent; b is the least
    await lru.set("d", bytes(1), 60_000);
    expect(lru.size).toBe(3);
    expect(await lru.get("b")).toBeUndefined();
    expect(await lru.get("a")).toBeDefined();
    expect(await lru.get("c")).toBeDefined();
    expect(await lru.get("d")).toBeDefined();
    expect(evicted).toEqual(["entries"]);
  });

  it("R-CACHE-1: holds at most max_bytes (values, keys and overhead), dropping the least recently used", async () => {
    const { lru, evicted } = store(1_000, cost(100) * 3);
    for (const key of ["a", "b", "c"]) await lru.set(key, bytes(100), 60_000);
    expect(lru.bytes).toBe(cost(100) * 3);
    await lru.set("d", bytes(150), 60_000);
    expect(lru.bytes).toBeLessThanOrEqual(cost(100) * 3);
    expect(await lru.get("a")).toBeUndefined();
    expect(await lru.get("b")).toBeUndefined();
    expect(await lru.get("c")).toBeDefined();
    expect(await lru.get("d")).toBeDefined();
    expect(evicted).toEqual(["bytes", "bytes"]);
  });

  it("R-CACHE-1: refuses a value larger than max_bytes instead of emptying the cache for it", async () => {
    const { lru } = store(10, 1_000);
    await lru.set("a", bytes(10), 60_000);
    expect(await lru.set("b", bytes(2_000), 60_000)).toBe(false);
    expect(await lru.get("a")).toBeDefined();
    expect(lru.size).toBe(1);
  });

  it("R-CACHE-1: an entry expires after its TTL on the injected clock", async () => {
    const { lru, clock, evicted } = store(10, 100_000);
    await lru.set("a", bytes(1, 7), 5_000);
    await clock.advance(4_999);
    expect(await lru.get("a")).toEqual(bytes(1, 7));
    await clock.advance(1);
    expect(await lru.get("a")).toBeUndefined();
    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
    expect(evicted).toEqual(["expired"]);
  });

  it("replacing a key keeps the byte count exact; delete and clear free it", async () => {
    const { lru } = store(10, 100_000);
    await lru.set("a", bytes(10), 60_000);
    await lru.set("a", bytes(30), 60_000);
    expect(lru.bytes).toBe(cost(30));
    await lru.delete("a");
    expect(lru.bytes).toBe(0);
    await lru.set("b", bytes(5), 60_000);
    lru.clear();
    expect([lru.size, lru.bytes]).toEqual([0, 0]);
    expect(await lru.set("c", bytes(5), 0)).toBe(false); // a TTL of 0 means never cache
  });
});
