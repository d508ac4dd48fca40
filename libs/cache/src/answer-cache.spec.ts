import { Code, pipeline, query, refusalOf, SPEC_TOML, specConfig } from "@llm-pool/cache/test-support";
import type { ConfigSnapshot } from "@llm-pool/config";
import { Task } from "@llm-pool/contract";
import { FakeClock, PoolError } from "@llm-pool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { StoredAnswerCache } from "./answer-cache.js";
import type { CacheObserver } from "./cache-observer.js";
import type { CacheStore } from "./cache-store.js";
import { MemoryCacheStore } from "./cache-store/memory.js";

let config: ConfigSnapshot;
beforeAll(async () => {
  config = await specConfig();
});

function events() {
  const seen: string[] = [];
  const observer: CacheObserver = {
    hit: (task) => seen.push(`hit ${task}`),
    miss: (task) => seen.push(`miss ${task}`),
    coalesced: (task) => seen.push(`coalesced ${task}`),
    bypassed: (task, reason) => seen.push(`bypassed ${task} ${reason}`),
    stored: (task) => seen.push(`stored ${task}`),
    notStored: (task, reason) => seen.push(`not_stored ${task} ${reason}`),
    storeFailed: (store, operation) => seen.push(`failed ${store} ${operation}`),
  };
  return { seen, observer };
}

function setup(options: { config?: ConfigSnapshot | (() => ConfigSnapshot); store?: CacheStore; share?: boolean } = {}) {
  const clock = new FakeClock();
  const { seen, observer } = events();
  const store = options.store ?? new MemoryCacheStore({ clock, maxEntries: 100, maxBytes: 1_000_000 });
  const cache = new StoredAnswerCache({ store, clock, observer, ...(options.share && { shareAcrossTenants: () => true }) });
  return { ...pipeline({ config: options.config ?? config, cache, clock }), cache, seen, store };
}

describe("answer cache (R-CACHE-1)", () => {
  it("R-CACHE-1: a repeated query is answered from the cache with from_cache, its own request_id and its own duration", async () => {
    const { infer, ensemble, clock, seen } = setup();
    const first = await infer(query({ requestId: "first" }));
    await clock.advance(1234);
    const second = await infer(query({ requestId: "second" }));
    expect(ensemble.runs).toBe(1);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.requestId).toBe("second");
    expect(second.output).toBe(first.output);
    expect(second.winnerModel).toBe(first.winnerModel);
    expect(second.durationMs).toBe(0); // the hit's own time, not the first run's
    expect(seen).toEqual(["miss expand_queries", "stored expand_queries", "hit expand_queries"]);
  });

  it("R-CACHE-1: an entry lives for the task's cache_ttl_ms and no longer (fake clock)", async () => {
    const { infer, ensemble, clock } = setup();
    const q = query({ task: Task.SITE_TACTICS }); // cache_ttl_ms = 5000
    await infer(q);
    await clock.advance(4_999);
    expect((await infer(q)).fromCache).toBe(true);
    await clock.advance(1);
    expect((await infer(q)).fromCache).toBe(false);
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-1: meta cache=no-store neither reads nor writes the cache", async () => {
    const { infer, ensemble, seen } = setup();
    await infer(query({ meta: { cache: "no-store" } }));
    await infer(query());
    const fresh = await infer(query({ meta: { cache: "No-Store" } }));
    expect(fresh.fromCache).toBe(false);
    expect(ensemble.runs).toBe(3);
    expect(seen).toContain("bypassed expand_queries no_store");
  });

  it("R-CACHE-1: a task with cache_ttl_ms = 0 is never cached", async () => {
    const { infer, ensemble, seen } = setup();
    await infer(query({ task: Task.RECOVERY_PLAN }));
    expect((await infer(query({ task: Task.RECOVERY_PLAN }))).fromCache).toBe(false);
    expect(ensemble.runs).toBe(2);
    expect(seen).toEqual(["bypassed recovery_plan task_off", "bypassed recovery_plan task_off"]);
  });

  it("R-CACHE-1: [cache] enabled = false turns the cache off for every task", async () => {
    const off = await specConfig(SPEC_TOML.replace("[cache]", "[cache]\nenabled = false"));
    const { infer, ensemble, seen } = setup({ config: off });
    await infer(query());
    await infer(query());
    expect(ensemble.runs).toBe(2);
    expect(seen).toEqual(["bypassed expand_queries disabled", "bypassed expand_queries disabled"]);
  });

  it("R-CACHE-1: tenants never share entries; projects of one tenant do, each answer naming its own", async () => {
    const { infer, ensemble } = setup();
    await infer(query({ tenantId: "acme", projectId: "web" }));
    const other = await infer(query({ tenantId: "globex", projectId: "web" }));
    expect(other.fromCache).toBe(false);
    const sameTenant = await infer(query({ tenantId: "acme", projectId: "mobile" }));
    expect(sameTenant.fromCache).toBe(true);
    expect(sameTenant.tenantId).toBe("acme");
    expect(sameTenant.projectId).toBe("mobile");
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-1: tenants share entries only when configured to", async () => {
    const { infer, ensemble } = setup({ share: true });
    await infer(query({ tenantId: "acme" }));
    const other = await infer(query({ tenantId: "globex" }));
    expect(other.fromCache).toBe(true);
    expect(other.tenantId).toBe("globex");
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-1: the same JSON input with its keys in another order, or the prompt with other surrounding space, is the same query", async () => {
    const { infer, ensemble } = setup();
    await infer(query({ prompt: "lounge", input: { genre: "jazz", mood: { calm: true, bright: false } } }));
    const reordered = await infer(query({ prompt: "  lounge\n", input: { mood: { bright: false, calm: true }, genre: "jazz" } }));
    expect(reordered.fromCache).toBe(true);
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-1: max_tokens, output format and strategy are part of the key", async () => {
    const { infer, ensemble } = setup();
    await infer(query());
    await infer(query({ maxTokens: 50 }));
    await infer(query({ output: { kind: 1 } })); // OUTPUT_KIND_TEXT
    await infer(query({ strategy: 2 })); // VOTING
    expect(ensemble.runs).toBe(4);
  });

  it("R-CACHE-1: a config edit that changes the answer (the model, the temperature) changes the key", async () => {
    let current = config;
    const { infer, ensemble } = setup({ config: () => current });
    await infer(query());
    current = await specConfig(SPEC_TOML.replace('model = "phi3:mini"', 'model = "llama3.1:8b"'));
    expect((await infer(query())).fromCache).toBe(false);
    current = await specConfig(SPEC_TOML.replace('[tasks.expand_queries]\noutput = "json"', '[tasks.expand_queries]\noutput = "json"\ntemperature = 0.9'));
    expect((await infer(query())).fromCache).toBe(false);
    current = config;
    expect((await infer(query())).fromCache).toBe(true);
    expect(ensemble.runs).toBe(3);
  });

  it("R-CACHE-1: only good answers are stored: not failures, not answers reached by a fallback, not invalid JSON", async () => {
    const { infer, ensemble, seen } = setup();
    ensemble.failNext.push(new PoolError(Code.Unavailable, "no provider could answer"));
    await expect(infer(query())).rejects.toThrow("no provider could answer");
    ensemble.shape = (o) => ({ ...o, fallbacks: [{ from: "JUDGE", to: "VOTING", reason: "judge_late", detail: "" }] });
    await infer(query());
    ensemble.shape = (o) => ({ ...o, output: "{not json" });
    await infer(query());
    ensemble.shape = undefined;
    await infer(query());
    expect((await infer(query())).fromCache).toBe(true);
    expect(ensemble.runs).toBe(4);
    expect(seen.filter((e) => e.startsWith("not_stored"))).toEqual([
      "not_stored expand_queries not_cacheable",
      "not_stored expand_queries not_cacheable",
    ]);
  });

  it("R-CACHE-1: a store that fails is a miss, never an error, and is skipped for a while after", async () => {
    let calls = 0;
    const broken: CacheStore = {
      get: () => (calls++, Promise.reject(new Error("ECONNREFUSED"))),
      set: () => (calls++, Promise.reject(new Error("ECONNREFUSED"))),
      delete: () => Promise.resolve(),
    };
    const { infer, ensemble, seen, clock } = setup({ store: broken });
    expect((await infer(query())).output).toContain("cinematic lounge");
    expect((await infer(query())).fromCache).toBe(false);
    expect(ensemble.runs).toBe(2);
    expect(calls).toBe(1); // the first get failed; the store was skipped after it
    await clock.advance(1_000);
    await infer(query());
    expect(calls).toBe(2);
    expect(seen.filter((e) => e.startsWith("failed"))).toEqual(["failed cache get", "failed cache get"]);
  });

  it("R-CACHE-1: an entry that is not an Answer is dropped and counts as a miss", async () => {
    const clock = new FakeClock();
    const inner = new MemoryCacheStore({ clock, maxEntries: 10, maxBytes: 100_000 });
    const keys: string[] = [];
    const store: CacheStore = {
      get: (key) => inner.get(key),
      set: (key, value, ttlMs) => (keys.push(key), inner.set(key, value, ttlMs)),
      delete: (key) => inner.delete(key),
    };
    const { infer, ensemble, cache } = setup({ store });
    await infer(query());
    expect(cache.inFlight).toBe(0);
    await inner.set(keys[0]!, new Uint8Array([0xff, 0xff, 0xff]), 60_000);
    expect((await infer(query())).fromCache).toBe(false);
    expect((await infer(query())).fromCache).toBe(true); // stored again, readable
    expect(ensemble.runs).toBe(2);
  });
});

describe("coalescing of identical concurrent misses (R-CACHE-3)", () => {
  it("R-CACHE-3: 20 identical concurrent misses run one ensemble; each caller gets its own request_id", async () => {
    const { infer, ensemble, seen } = setup();
    const release = ensemble.hold();
    const answers = Promise.all(Array.from({ length: 20 }, (_, i) => infer(query({ requestId: `r${i}` }))));
    await flush();
    release();
    const all = await answers;
    expect(ensemble.runs).toBe(1);
    expect(all.map((a) => a.requestId)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    expect(new Set(all.map((a) => a.output)).size).toBe(1);
    expect(all.filter((a) => a.fromCache)).toHaveLength(19);
    expect(seen.filter((e) => e.startsWith("coalesced"))).toHaveLength(19);
  });

  it("R-CACHE-3: different concurrent queries are not coalesced", async () => {
    const { infer, ensemble } = setup();
    const release = ensemble.hold();
    const answers = Promise.all([infer(query({ prompt: "a" })), infer(query({ prompt: "b" })), infer(query({ prompt: "a", tenantId: "other" }))]);
    await flush();
    release();
    await answers;
    expect(ensemble.runs).toBe(3);
  });

  it("R-CACHE-3: a shared failure reaches every caller, each error with its own request id", async () => {
    const { infer, ensemble } = setup();
    ensemble.failNext.push(new PoolError(Code.Unavailable, "no provider could answer"));
    const release = ensemble.hold();
    const errors = Promise.all([refusalOf(infer(query({ requestId: "a" }))), refusalOf(infer(query({ requestId: "b" })))]);
    await flush();
    release();
    const [a, b] = await errors;
    expect(ensemble.runs).toBe(1);
    expect([a!.code, b!.code]).toEqual([Code.Unavailable, Code.Unavailable]);
    expect([a!.requestId, b!.requestId]).toEqual(["a", "b"]);
  });

  it("R-CACHE-3: when the leader's client leaves, a follower runs the query itself", async () => {
    const { infer, ensemble } = setup();
    const release = ensemble.hold();
    const leaving = new AbortController();
    const leader = refusalOf(infer(query({ requestId: "leader" }), { signal: leaving.signal }));
    const follower = infer(query({ requestId: "follower" }));
    await flush();
    leaving.abort();
    expect((await leader).code).toBe(Code.Canceled);
    await flush();
    release();
    const answer = await follower;
    expect(answer.requestId).toBe("follower");
    expect(answer.fromCache).toBe(false);
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-3: a follower whose client leaves stops waiting; the leader still finishes", async () => {
    const { infer, ensemble } = setup();
    const release = ensemble.hold();
    const leaving = new AbortController();
    const leader = infer(query({ requestId: "leader" }));
    const follower = refusalOf(infer(query({ requestId: "follower" }), { signal: leaving.signal }));
    await flush();
    leaving.abort();
    expect((await follower).code).toBe(Code.Canceled);
    release();
    expect((await leader).requestId).toBe("leader");
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-3: a follower waits no longer than its own deadline", async () => {
    const { infer, ensemble, clock } = setup();
    const release = ensemble.hold();
    const leader = infer(query({ requestId: "leader", deadlineMs: 1500 }));
    const follower = refusalOf(infer(query({ requestId: "follower", deadlineMs: 300 })));
    await flush();
    await clock.advance(300);
    const error = await follower;
    expect(error.code).toBe(Code.DeadlineExceeded);
    release();
    await leader;
    expect(ensemble.runs).toBe(1);
  });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
