import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { EngineQueue, SaturatedError, type SlotLease } from "./engine-queue.js";

const open = () => new AbortController().signal;

/** A queue whose moving average has learnt one call of `ms`. */
async function trained(clock: FakeClock, limit: number, ms: number): Promise<EngineQueue> {
  const queue = new EngineQueue({ name: "mac-mini", maxConcurrency: limit, clock });
  const lease = await queue.acquire(open());
  await clock.advance(ms);
  lease.release(ms);
  return queue;
}

describe("R-PRV-6 engine slot queue", () => {
  it("runs at most max_concurrency calls; the rest start in arrival order as slots free", async () => {
    const clock = new FakeClock();
    const queue = new EngineQueue({ name: "mac-mini", maxConcurrency: 2, clock });
    const started: string[] = [];
    const leases = new Map<string, SlotLease>();
    for (const name of ["a", "b", "c", "d", "e"]) {
      void queue.acquire(open()).then((lease) => {
        started.push(name);
        leases.set(name, lease);
      });
    }
    await clock.advance(0);
    expect(started).toEqual(["a", "b"]);
    expect([queue.active, queue.waiting, queue.hasFreeSlot()]).toEqual([2, 3, false]);

    leases.get("b")!.release();
    await clock.advance(0);
    expect(started).toEqual(["a", "b", "c"]);
    leases.get("a")!.release();
    leases.get("c")!.release();
    await clock.advance(0);
    expect(started).toEqual(["a", "b", "c", "d", "e"]);
    leases.get("d")!.release();
    leases.get("e")!.release();
    expect([queue.active, queue.waiting, queue.hasFreeSlot()]).toEqual([0, 0, true]);
  });

  it("refuses at once, without queueing, a caller whose deadline falls before the expected finish", async () => {
    const clock = new FakeClock();
    const queue = await trained(clock, 1, 400);
    const running = await queue.acquire(open());
    await clock.advance(100);
    // The running call should free its slot in ~300 ms, then ours takes ~400 ms: done in ~700 ms.
    expect(queue.expectedCompletionMs()).toBe(700);
    const refused = await queue.acquire(open(), clock.now() + 600).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SaturatedError);
    expect(queue.waiting).toBe(0);

    let admitted = false;
    void queue.acquire(open(), clock.now() + 800).then(() => (admitted = true));
    await clock.advance(0);
    expect([admitted, queue.waiting]).toEqual([false, 1]);
    running.release(400);
    await clock.advance(0);
    expect(admitted).toBe(true);
  });

  it("counts callers already waiting in the expected wait", async () => {
    const clock = new FakeClock();
    const queue = await trained(clock, 2, 100);
    await queue.acquire(open());
    await queue.acquire(open());
    void queue.acquire(open());
    void queue.acquire(open());
    void queue.acquire(open());
    // Two slots busy for 100 ms and three callers ahead: they start at 100, 100 and 200; ours at 200, done at 300.
    expect(queue.expectedCompletionMs()).toBe(300);
    await expect(queue.acquire(open(), clock.now() + 299)).rejects.toBeInstanceOf(SaturatedError);
  });

  it("never refuses before it has measured a call, nor when a slot is free", async () => {
    const clock = new FakeClock();
    const queue = new EngineQueue({ name: "e", maxConcurrency: 1, clock });
    await queue.acquire(open(), clock.now() + 1);
    const waiting = queue.acquire(open(), clock.now() + 1);
    expect(queue.waiting).toBe(1);
    const trainedQueue = await trained(clock, 1, 10_000);
    await expect(trainedQueue.acquire(open(), clock.now() + 1)).resolves.toBeDefined();
    void waiting;
  });

  it("a waiting caller whose signal aborts leaves the queue and the next one gets the slot", async () => {
    const clock = new FakeClock();
    const queue = new EngineQueue({ name: "e", maxConcurrency: 1, clock });
    const first = await queue.acquire(open());
    const leaving = new AbortController();
    const left = queue.acquire(leaving.signal).catch((error: unknown) => error);
    let nextStarted = false;
    void queue.acquire(open()).then(() => (nextStarted = true));
    expect(queue.waiting).toBe(2);

    leaving.abort(new PoolError(Code.Canceled, "another candidate won"));
    expect(await left).toMatchObject({ code: Code.Canceled });
    expect(queue.waiting).toBe(1);
    first.release();
    await clock.advance(0);
    expect(nextStarted).toBe(true);
    expect(queue.active).toBe(1);
  });

  it("tracks a moving average of call duration; unmeasured releases leave it alone", async () => {
    const clock = new FakeClock();
    const queue = new EngineQueue({ name: "e", maxConcurrency: 1, clock, smoothing: 0.5 });
    (await queue.acquire(open())).release(100);
    (await queue.acquire(open())).release(300);
    (await queue.acquire(open())).release();
    expect(queue.averageMs).toBe(200);
  });

  it("a larger limit after a reload starts waiting callers at once", async () => {
    const clock = new FakeClock();
    const queue = new EngineQueue({ name: "e", maxConcurrency: 1, clock });
    await queue.acquire(open());
    let started = false;
    void queue.acquire(open()).then(() => (started = true));
    queue.setLimit(2);
    await clock.advance(0);
    expect([started, queue.active, queue.limit]).toEqual([true, 2, 2]);
  });
});
