import { postJson, until } from "@llm-pool/mock-engine/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.js";
import { startMockEngine, type MockEngine } from "./server.js";
import { Slots } from "./slots.js";

describe("Slots", () => {
  it("lets `limit` holders in and queues the rest first come, first served", async () => {
    const slots = new Slots(1);
    const signal = new AbortController().signal;
    const first = await slots.acquire(signal);
    const order: string[] = [];
    const second = slots.acquire(signal).then((lease) => (order.push("second"), lease));
    const third = slots.acquire(signal).then((lease) => (order.push("third"), lease));
    expect(slots.stats()).toMatchObject({ active: 1, waiting: 2 });
    expect(first.queued).toBe(false);
    first.release();
    (await second).release();
    const lease3 = await third;
    expect(order).toEqual(["second", "third"]);
    expect(lease3.queued).toBe(true);
    lease3.release();
    expect(slots.stats()).toEqual({ limit: 1, active: 0, waiting: 0, peak_active: 1, peak_waiting: 2 });
  });

  it("drops a waiter whose signal aborts, and raising the limit lets waiters in", async () => {
    const slots = new Slots(1);
    const held = await slots.acquire(new AbortController().signal);
    const leaving = new AbortController();
    const gone = slots.acquire(leaving.signal);
    const staying = slots.acquire(new AbortController().signal);
    leaving.abort();
    await expect(gone).rejects.toThrow();
    expect(slots.stats().waiting).toBe(1);
    slots.setLimit(2);
    expect((await staying).queued).toBe(true);
    expect(slots.stats().active).toBe(2);
    held.release();
  });
});

describe("R-PRV-6 per-engine concurrency over HTTP (manual clock, no timing)", () => {
  let engine: MockEngine | undefined;
  afterEach(() => engine?.close());

  it("slots = 1: one request runs, the others queue and start in arrival order", async () => {
    const clock = new ManualClock();
    engine = await startMockEngine({ clock, scenario: { slots: 1, models: { m: { latency: { kind: "fixed", ms: 100 } } } } });
    const url = `${engine.url}/api/generate`;
    const replies = [1, 2, 3].map((n) => postJson(url, { model: "m", prompt: `request ${n}`, stream: false }));
    await engine.waitForRecord((entries) => entries.length === 3);
    await until(() => clock.pendingSleeps === 1);
    expect(engine.stats()).toMatchObject({ limit: 1, active: 1, waiting: 2 });
    for (let done = 1; done <= 3; done++) {
      clock.advance(100);
      await engine.waitForRecord((entries) => entries.filter((e) => e.fate === "completed").length === done);
      if (done < 3) await until(() => clock.pendingSleeps === 1);
    }
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual([200, 200, 200]);
    const entries = engine.record();
    expect(entries.map((e) => e.queued)).toEqual([false, true, true]);
    expect(entries.map((e) => e.start_order)).toEqual([1, 2, 3]);
    expect(engine.stats()).toMatchObject({ active: 0, waiting: 0, peak_active: 1, peak_waiting: 2 });
  });

  it("slots = 2: two run at once; a client leaving the queue is cancelled and never starts", async () => {
    const clock = new ManualClock();
    engine = await startMockEngine({ clock, scenario: { slots: 2, models: { m: { latency: { kind: "fixed", ms: 100 } } } } });
    const url = `${engine.url}/api/generate`;
    const running = [1, 2].map((n) => postJson(url, { model: "m", prompt: `run ${n}`, stream: false }));
    await until(() => clock.pendingSleeps === 2);
    const leaving = new AbortController();
    const queued = postJson(url, { model: "m", prompt: "queued" }, { signal: leaving.signal });
    await engine.waitForRecord((entries) => entries.length === 3);
    expect(engine.stats()).toMatchObject({ active: 2, waiting: 1 });
    leaving.abort();
    await expect(queued).rejects.toThrow(/abort/i);
    await engine.waitForRecord((entries) => entries[2]?.fate === "cancelled");
    expect(engine.stats().waiting).toBe(0);
    clock.advance(100);
    await Promise.all(running);
    const entries = engine.record();
    expect(entries.map((e) => e.fate)).toEqual(["completed", "completed", "cancelled"]);
    expect(entries[2]?.start_order).toBeUndefined();
    expect(engine.stats().peak_active).toBe(2);
  });

  it("a client leaving mid-stream is cancelled and frees its slot", async () => {
    const clock = new ManualClock();
    engine = await startMockEngine({ clock, scenario: { slots: 1, models: { m: { latency: { kind: "fixed", ms: 1200 } } } } });
    const leaving = new AbortController();
    // Like Ollama, the headers leave with the first token: start the request, then let one token through.
    const replying = postJson(`${engine.url}/api/generate`, { model: "m", prompt: "p" }, { signal: leaving.signal });
    await until(() => clock.pendingSleeps === 1);
    clock.advance(100); // the first of 12 tokens
    const reader = (await replying).body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    leaving.abort();
    await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    await until(() => engine?.stats().active === 0);
    expect(clock.pendingSleeps).toBe(0);
  });
});
