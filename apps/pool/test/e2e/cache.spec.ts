// R-CACHE-1..3 on the assembled pool: real config, orchestrator, cache and
// idempotency stages, Ollama driver, against the mock engine (which counts calls).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolToml, startEngine, startTestPool, type MockEngine, type PoolUnderTest } from "./pool-harness.js";

let engine: MockEngine;
let pool: PoolUnderTest;

beforeAll(async () => {
  engine = await startEngine(300);
  pool = await startTestPool(poolToml(engine.url));
});
afterAll(async () => {
  await pool?.stop();
  await engine?.close();
});

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

async function infer(body: Record<string, unknown>): Promise<Reply> {
  const res = await fetch(`${pool.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** Engine calls whose prompt starts with `tag` (warm-ups and health checks are not counted). */
const engineCalls = (tag: string) => engine.record().filter((e) => e.prompt?.preview.startsWith(tag)).length;

describe("the answer cache on the assembled pool (R-CACHE-1)", () => {
  it("R-CACHE-1: a repeated query is answered from the cache: one engine call, from_cache, its own request id", async () => {
    const query = { task: "TASK_EXPAND_QUERIES", prompt: "cache-e2e-1 rainy bossa nova" };
    const first = await infer({ ...query, requestId: "cache-e2e-1a" });
    const second = await infer({ ...query, requestId: "cache-e2e-1b" });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.fromCache).toBeUndefined(); // false is the proto JSON default, left out
    expect(second.body.fromCache).toBe(true);
    expect(second.body.requestId).toBe("cache-e2e-1b");
    expect(second.body.output).toBe(first.body.output);
    expect(engineCalls("cache-e2e-1")).toBe(1);
  });

  it("R-CACHE-1: meta cache=no-store calls the engine again", async () => {
    const query = { task: "TASK_EXPAND_QUERIES", prompt: "cache-e2e-2 synthwave drive" };
    await infer(query);
    const fresh = await infer({ ...query, meta: { cache: "no-store" } });
    expect(fresh.body.fromCache).toBeUndefined();
    expect(engineCalls("cache-e2e-2")).toBe(2);
  });
});

describe("coalescing on the assembled pool (R-CACHE-3)", () => {
  it("R-CACHE-3: 8 identical concurrent queries call the engine once; each answer has its own request id", async () => {
    const query = { task: "TASK_RECOVERY_PLAN", prompt: "cache-e2e-3 buffer underrun on stream 4" };
    const replies = await Promise.all(Array.from({ length: 8 }, () => infer(query)));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(replies.map((r) => r.body.requestId)).size).toBe(8);
    expect(new Set(replies.map((r) => r.body.output)).size).toBe(1);
    expect(engineCalls("cache-e2e-3")).toBe(1);
  });
});

describe("idempotency by request_id on the assembled pool (R-CACHE-2)", () => {
  it("R-CACHE-2: concurrent duplicates call the engine once and get the same body, byte for byte", async () => {
    // no-store keeps the cache out of it: only idempotency dedups here.
    const query = { task: "TASK_RECOVERY_PLAN", prompt: "cache-e2e-4 encoder stalled", requestId: "cache-e2e-4", meta: { cache: "no-store" } };
    const replies = await Promise.all(Array.from({ length: 6 }, () => infer(query)));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    const later = await infer(query);
    expect(later.text).toBe(replies[0]!.text);
    expect(engineCalls("cache-e2e-4")).toBe(1);
  });

  it("R-CACHE-2: the same request_id with a different query is refused with 409 conflict", async () => {
    await infer({ task: "TASK_EXPAND_QUERIES", prompt: "cache-e2e-5 jazz", requestId: "cache-e2e-5" });
    const refused = await infer({ task: "TASK_EXPAND_QUERIES", prompt: "cache-e2e-5 metal", requestId: "cache-e2e-5" });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: "conflict",
      message:
        'request_id "cache-e2e-5" was already used for a different query; a request_id names one query for 15 minutes, so send a new query with a new request_id',
      field: "request_id",
      request_id: "cache-e2e-5",
    });
    expect(engineCalls("cache-e2e-5")).toBe(1);
  });
});
