import { toBinary } from "@bufbuild/protobuf";
import { Code, CountingEnsemble, pipeline, query, refusalOf, specConfig } from "@llm-pool/cache/test-support";
import type { ConfigSnapshot } from "@llm-pool/config";
import { AnswerSchema } from "@llm-pool/contract";
import { FakeClock, PoolError } from "@llm-pool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { StoredAnswerCache } from "./answer-cache.js";
import type { IdempotencyOutcome } from "./cache-observer.js";
import { MemoryCacheStore } from "./cache-store/memory.js";
import { StoredIdempotencyGuard, type IdempotencyFailureMode } from "./idempotency-guard.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import { MemoryIdempotencyStore } from "./idempotency-store/memory.js";

let config: ConfigSnapshot;
beforeAll(async () => {
  config = await specConfig();
});

const bytes = (answer: Parameters<typeof toBinary<typeof AnswerSchema>>[1]) => toBinary(AnswerSchema, answer);

function setup(options: { store?: IdempotencyStore; mode?: IdempotencyFailureMode; withCache?: boolean; clock?: FakeClock; ensemble?: CountingEnsemble } = {}) {
  const clock = options.clock ?? new FakeClock();
  const outcomes: IdempotencyOutcome[] = [];
  const store = options.store ?? new MemoryIdempotencyStore({ clock });
  const idempotency = new StoredIdempotencyGuard({
    store,
    clock,
    observer: { idempotency: (o) => outcomes.push(o) },
    ...(options.mode && { onStoreFailure: options.mode }),
  });
  const cache = options.withCache ? new StoredAnswerCache({ store: new MemoryCacheStore({ clock, maxEntries: 100, maxBytes: 1e6 }), clock }) : undefined;
  return { ...pipeline({ config, idempotency, clock, ...(cache && { cache }), ...(options.ensemble && { ensemble: options.ensemble }) }), outcomes, store };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe("idempotency by client request_id (R-CACHE-2)", () => {
  it("R-CACHE-2: a finished request_id replays the stored Answer byte for byte without running again", async () => {
    const { infer, ensemble, clock, outcomes } = setup({ withCache: true });
    const first = await infer(query({ requestId: "order-1" }));
    await clock.advance(120_000); // past the answer cache's TTL: the replay comes from the idempotency record
    const replay = await infer(query({ requestId: "order-1" }));
    expect(bytes(replay)).toEqual(bytes(first));
    expect(replay.fromCache).toBe(false);
    expect(ensemble.runs).toBe(1);
    expect(outcomes).toEqual(["first", "replayed"]);
  });

  it("R-CACHE-2: 10 concurrent duplicates run the engines once and all get the same bytes", async () => {
    const { infer, ensemble, outcomes } = setup();
    const release = ensemble.hold();
    const answers = Promise.all(Array.from({ length: 10 }, () => infer(query({ requestId: "order-2" }))));
    await flush();
    release();
    const all = await answers;
    expect(ensemble.runs).toBe(1);
    expect(new Set(all.map((a) => Buffer.from(bytes(a)).toString("hex"))).size).toBe(1);
    expect(outcomes.filter((o) => o === "waited")).toHaveLength(9);
  });

  it("R-CACHE-2: the same request_id with a different query is refused with conflict, in flight or finished", async () => {
    const { infer, ensemble } = setup();
    const release = ensemble.hold();
    const first = infer(query({ requestId: "order-3", prompt: "jazz" }));
    await flush();
    const whileRunning = await refusalOf(infer(query({ requestId: "order-3", prompt: "rock" })));
    release();
    await first;
    const afterwards = await refusalOf(infer(query({ requestId: "order-3", prompt: "jazz", maxTokens: 10 })));
    for (const error of [whileRunning, afterwards]) {
      expect(error.code).toBe(Code.Conflict);
      expect(error.field).toBe("request_id");
      expect(error.message).toBe(
        'request_id "order-3" was already used for a different query; a request_id names one query for 10 minutes, so send a new query with a new request_id',
      );
    }
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-2: a failure is not stored: the id is released and a retry runs", async () => {
    const { infer, ensemble, outcomes } = setup();
    ensemble.failNext.push(new PoolError(Code.Unavailable, "no provider could answer"));
    expect((await refusalOf(infer(query({ requestId: "order-4" })))).code).toBe(Code.Unavailable);
    const retry = await infer(query({ requestId: "order-4" }));
    const replay = await infer(query({ requestId: "order-4" }));
    expect(bytes(replay)).toEqual(bytes(retry));
    expect(ensemble.runs).toBe(2);
    expect(outcomes).toEqual(["first", "first", "replayed"]);
  });

  it("R-CACHE-2: a finished id is kept for idempotency_ttl_ms, then runs again (fake clock)", async () => {
    const { infer, ensemble, clock } = setup();
    await infer(query({ requestId: "order-5" }));
    await clock.advance(600_000 - 1);
    await infer(query({ requestId: "order-5" }));
    expect(ensemble.runs).toBe(1);
    await clock.advance(1);
    await infer(query({ requestId: "order-5" }));
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-2: request ids are per tenant: another tenant's same id is its own query", async () => {
    const { infer, ensemble } = setup();
    await infer(query({ requestId: "order-6", tenantId: "acme" }));
    const other = await infer(query({ requestId: "order-6", tenantId: "globex", prompt: "something else" }));
    expect(other.tenantId).toBe("globex");
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-2: a duplicate waits no longer than its own deadline, then gets a clear conflict", async () => {
    const { infer, ensemble, clock } = setup();
    const release = ensemble.hold();
    const first = infer(query({ requestId: "order-7", deadlineMs: 1500 }));
    await flush();
    const duplicate = refusalOf(infer(query({ requestId: "order-7", deadlineMs: 500 })));
    await clock.advance(500);
    const error = await duplicate;
    expect(error.code).toBe(Code.Conflict);
    expect(error.message).toBe('request_id "order-7" is still being answered by an earlier request; retry after it finishes');
    release();
    expect((await first).requestId).toBe("order-7");
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-2: when the first request's client leaves, a waiting duplicate runs the query", async () => {
    const { infer, ensemble } = setup();
    const release = ensemble.hold();
    const leaving = new AbortController();
    const first = refusalOf(infer(query({ requestId: "order-8" }), { signal: leaving.signal }));
    await flush();
    const duplicate = infer(query({ requestId: "order-8" }));
    await flush();
    leaving.abort();
    expect((await first).code).toBe(Code.Canceled);
    await flush();
    release();
    expect((await duplicate).requestId).toBe("order-8");
    expect(ensemble.runs).toBe(2);
  });

  it("R-CACHE-2: queries without a client request_id are never deduplicated", async () => {
    const { infer, ensemble, outcomes } = setup();
    await infer(query());
    await infer(query());
    expect(ensemble.runs).toBe(2);
    expect(outcomes).toEqual([]);
  });

  it("R-CACHE-2: two replicas sharing one store: the second waits for the first (polling) and replays its bytes", async () => {
    const clock = new FakeClock();
    const shared = new MemoryIdempotencyStore({ clock });
    const ensemble = new CountingEnsemble();
    const a = setup({ store: shared, clock, ensemble });
    const b = setup({ store: shared, clock, ensemble });
    const release = ensemble.hold();
    const first = a.infer(query({ requestId: "order-9" }));
    await flush();
    const second = b.infer(query({ requestId: "order-9" }));
    await clock.advance(100); // b polls while a runs
    release();
    await clock.advance(300);
    const [x, y] = await Promise.all([first, second]);
    expect(bytes(y)).toEqual(bytes(x));
    expect(ensemble.runs).toBe(1);
    expect(b.outcomes).toEqual(["waited"]);
  });
});

describe("idempotency when its store is down (R-CACHE-2)", () => {
  const down: IdempotencyStore = {
    acquire: () => Promise.reject(new Error("ECONNREFUSED")),
    complete: () => Promise.reject(new Error("ECONNREFUSED")),
    release: () => Promise.reject(new Error("ECONNREFUSED")),
  };

  it("R-CACHE-2: fails open by default: the query runs without idempotency and says so", async () => {
    const { infer, ensemble, outcomes } = setup({ store: down });
    await infer(query({ requestId: "order-10" }));
    await infer(query({ requestId: "order-10" }));
    expect(ensemble.runs).toBe(2);
    expect(outcomes).toEqual(["bypassed", "bypassed"]);
  });

  it("R-CACHE-2: fails open but concurrent duplicates in one process still share one run", async () => {
    const { infer, ensemble } = setup({ store: down });
    const release = ensemble.hold();
    const both = Promise.all([infer(query({ requestId: "order-11" })), infer(query({ requestId: "order-11" }))]);
    await flush();
    release();
    await both;
    expect(ensemble.runs).toBe(1);
  });

  it("R-CACHE-2: fails closed when configured: unavailable, before any engine is called", async () => {
    const { infer, ensemble, outcomes } = setup({ store: down, mode: "closed" });
    const error = await refusalOf(infer(query({ requestId: "order-12" })));
    expect(error.code).toBe(Code.Unavailable);
    expect(error.message).toBe("request_id deduplication is unavailable right now (its store is down); retry shortly");
    expect(ensemble.runs).toBe(0);
    expect(outcomes).toEqual(["refused"]);
    expect((await infer(query())).output).toBeTruthy(); // no request_id: not affected
  });
});

describe("MemoryIdempotencyStore bounds", () => {
  it("drops the oldest finished ids beyond max_entries, never a running lease", async () => {
    const clock = new FakeClock();
    const store = new MemoryIdempotencyStore({ clock, maxEntries: 2 });
    const lease = (owner: string) => ({ fingerprint: "f", owner, leaseMs: 10_000 });
    expect(await store.acquire("running", lease("o1"))).toEqual({ kind: "acquired" });
    await store.acquire("a", lease("o2"));
    await store.complete("a", { fingerprint: "f", owner: "o2", answer: new Uint8Array([1]), ttlMs: 60_000 });
    await store.acquire("b", lease("o3"));
    expect(store.size).toBe(2);
    expect((await store.acquire("running", lease("x"))).kind).toBe("pending");
    expect((await store.acquire("a", lease("o4"))).kind).toBe("acquired"); // "a" was dropped
  });
});
