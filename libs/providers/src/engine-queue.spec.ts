import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { EngineQueue, SaturatedError, type EngineWork, type SlotLease } from "./engine-queue.js";

const open = () => new AbortController().signal;
const phi3: EngineWork = { model: "phi3:mini", maxTokens: 64 };

function queueOf(clock: FakeClock, limit: number, weights: Record<string, number> = {}): EngineQueue {
  return new EngineQueue({ name: "mac-mini", maxConcurrency: limit, clock, adaptive: false, weightOf: (t) => weights[t] ?? 1 });
}

/** Teaches the queue that `work` takes `ms` (three answers, the least it trusts). */
async function train(queue: EngineQueue, ms: number, work: EngineWork = phi3): Promise<void> {
  for (let i = 0; i < 3; i++) (await queue.acquire(open(), undefined, work)).release(ms);
}

/** Acquires without a deadline and records the order in which calls got their slot. */
function queued(queue: EngineQueue, started: string[], leases: Map<string, SlotLease>, name: string, work: EngineWork = phi3): void {
  void queue.acquire(open(), undefined, work).then((lease) => {
    started.push(name);
    leases.set(name, lease);
  });
}

describe("R-PRV-6 / R-QOS-5 engine queue: slots and deadline-aware admission", () => {
  it("runs at most the limit of calls; the rest start in arrival order as slots free", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 2);
    const started: string[] = [];
    const leases = new Map<string, SlotLease>();
    for (const name of ["a", "b", "c", "d", "e"]) queued(queue, started, leases, name);
    await clock.advance(0);
    expect(started).toEqual(["a", "b"]);
    expect([queue.active, queue.waiting, queue.hasFreeSlot()]).toEqual([2, 3, false]);
    leases.get("b")!.release();
    await clock.advance(0);
    expect(started).toEqual(["a", "b", "c"]);
    for (const name of ["a", "c"]) leases.get(name)!.release();
    await clock.advance(0);
    expect(started).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("refuses at once, naming the engine, a call whose forecast finish falls after its deadline", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    await train(queue, 400);
    const running = await queue.acquire(open(), undefined, phi3);
    await clock.advance(100);
    // The running call frees its slot in ~300 ms, then ours takes ~400 ms.
    expect(queue.forecast(phi3)).toEqual({ waitMs: 300, serviceMs: 400, typicalMs: 400 });
    const refused = await queue.acquire(open(), clock.now() + 600, phi3).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SaturatedError);
    expect((refused as SaturatedError).message).toBe(
      "engine mac-mini is saturated: an expected wait of 300 ms and 400 ms of work exceed the 600 ms left",
    );
    expect((refused as SaturatedError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect([queue.waiting, queue.refused]).toEqual([0, 1]);

    let admitted = false;
    void queue.acquire(open(), clock.now() + 800, phi3).then(() => (admitted = true));
    await clock.advance(0);
    expect([admitted, queue.waiting]).toEqual([false, 1]);
    running.release(400);
    await clock.advance(0);
    expect(admitted).toBe(true);
  });

  it("forecasts each model with its own typical time", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    const llama: EngineWork = { model: "llama3.1:8b", maxTokens: 64 };
    await train(queue, 200);
    await train(queue, 900, llama);
    await queue.acquire(open(), undefined, llama);
    expect(queue.forecast(phi3)).toEqual({ waitMs: 900, serviceMs: 200, typicalMs: 200 });
    // Asking for four times the usual tokens is expected to take four times as long.
    expect(queue.forecast({ ...phi3, maxTokens: 256 })).toEqual({ waitMs: 900, serviceMs: 800, typicalMs: 800 });
  });

  it("forecasts the wait behind every waiter, each taking the slot that frees first, with several slots and models", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 3);
    const llama: EngineWork = { model: "llama3.1:8b", maxTokens: 64 };
    await train(queue, 100);
    await train(queue, 300, llama);
    await queue.acquire(open(), undefined, llama);
    await queue.acquire(open(), undefined, phi3);
    await clock.advance(50);
    await queue.acquire(open(), undefined, phi3);
    // Slots free in 50 (phi3), 100 (phi3) and 250 ms (llama); then four callers wait in turn.
    for (const work of [llama, phi3, phi3, llama]) void queue.acquire(open(), undefined, work);
    // llama takes the slot at 50 (free at 350), phi3 the one at 100 (200), phi3 that one at 200 (300),
    // llama the one at 250 (550): the next frees at 300.
    expect(queue.forecast(phi3)).toEqual({ waitMs: 300, serviceMs: 100, typicalMs: 100 });
    expect(queue.waiting).toBe(4);
  });

  it("keeps each task's typical time apart for one model, so verdicts that read every answer do not slow its forecast for candidate calls", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 2);
    const candidate: EngineWork = { model: "llama3.1:8b", task: "expand_queries", maxTokens: 256 };
    const verdict: EngineWork = { model: "llama3.1:8b", task: "judge", maxTokens: 128 };
    for (let i = 0; i < 3; i++) {
      await train(queue, 1300, candidate);
      await train(queue, 1000, verdict);
    }
    expect(queue.forecast(candidate)).toEqual({ waitMs: 0, serviceMs: 1300, typicalMs: 1300 });
    expect(queue.forecast(verdict)).toEqual({ waitMs: 0, serviceMs: 1000, typicalMs: 1000 });
    expect(queue.typicalMs(candidate)).toBe(1300);
    // A task the model has not answered yet gets the model's times over every task.
    expect(queue.typicalMs({ model: "llama3.1:8b", task: "summarize", maxTokens: 128 })).toBeGreaterThan(1000);
    // A running verdict holds its slot for a verdict's time, not a candidate's.
    await queue.acquire(open(), undefined, verdict);
    await queue.acquire(open(), undefined, candidate);
    expect(queue.forecast(candidate)?.waitMs).toBe(1000);
  });

  it("after five refusals in a row with no answer between, lets one call through on a free slot, and its answer replaces the model's time", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    // A slow spell taught the queue 5 s; the model answers in 100 ms again, but every call is refused on the old time.
    await train(queue, 5000);
    for (let i = 0; i < 5; i++) {
      await expect(queue.acquire(open(), clock.now() + 4000, phi3)).rejects.toBeInstanceOf(SaturatedError);
    }
    const probe = await queue.acquire(open(), clock.now() + 4000, phi3);
    // While it runs no slot is free: calls are refused on the stale time as before.
    await expect(queue.acquire(open(), clock.now() + 4000, phi3)).rejects.toBeInstanceOf(SaturatedError);
    probe.release(100);
    expect(queue.forecast(phi3)).toEqual({ waitMs: 0, serviceMs: 100, typicalMs: 100 });
    await expect(queue.acquire(open(), clock.now() + 4000, phi3)).resolves.toBeDefined();
    expect(queue.refused).toBe(6);
  });

  it("never refuses before it has measured the engine; with a slot free, only a call whose typical time exceeds what is left", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    await queue.acquire(open(), clock.now() + 1, phi3);
    void queue.acquire(open(), clock.now() + 1, phi3);
    expect(queue.waiting).toBe(1);
    const trained = queueOf(clock, 2);
    await train(trained, 400);
    await expect(trained.acquire(open(), clock.now() + 400, phi3)).resolves.toBeDefined();
    const refused = await trained.acquire(open(), clock.now() + 399, phi3).catch((error: unknown) => error);
    expect((refused as SaturatedError).message).toBe("engine mac-mini cannot answer in time: a typical call takes 400 ms, more than the 399 ms left");
  });

  it("a waiter whose turn comes too late to finish is refused then, and the slot goes to the next", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    await train(queue, 100);
    const running = await queue.acquire(open(), undefined, phi3);
    // Admitted: 100 ms wait + 100 ms of work fit in 250 ms.
    const late = queue.acquire(open(), clock.now() + 250, phi3).catch((error: unknown) => error);
    let next = false;
    void queue.acquire(open(), undefined, phi3).then(() => (next = true));
    // The running call overruns: at 200 ms only 50 ms are left, less than the 100 ms of work.
    await clock.advance(200);
    running.release(200);
    await clock.advance(0);
    const error = await late;
    expect(error).toBeInstanceOf(SaturatedError);
    expect((error as SaturatedError).message).toBe("engine mac-mini is saturated: the call's turn came with 50 ms left, less than the 160 ms it needs");
    expect(next).toBe(true);
  });

  it("a waiting caller whose signal aborts leaves the queue and the next one gets the slot", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    const first = await queue.acquire(open(), undefined, phi3);
    const leaving = new AbortController();
    const left = queue.acquire(leaving.signal, undefined, phi3).catch((error: unknown) => error);
    let nextStarted = false;
    void queue.acquire(open(), undefined, phi3).then(() => (nextStarted = true));
    expect(queue.waiting).toBe(2);
    leaving.abort(new PoolError(Code.Canceled, "another candidate won"));
    expect(await left).toMatchObject({ code: Code.Canceled });
    expect(queue.waiting).toBe(1);
    first.release();
    await clock.advance(0);
    expect([nextStarted, queue.active]).toEqual([true, 1]);
  });

  it("a larger max_concurrency after a reload starts waiting callers at once", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    await queue.acquire(open(), undefined, phi3);
    let started = false;
    void queue.acquire(open(), undefined, phi3).then(() => (started = true));
    queue.reconfigure(2, false);
    await clock.advance(0);
    expect([started, queue.active, queue.limit]).toEqual([true, 2, 2]);
  });
});

describe("R-QOS-5 engine queue: fair share across tenants, priority within one", () => {
  const of = (tenant: string, priority = 5): EngineWork => ({ ...phi3, tenant, priority });

  /** One slot held, then `calls` queue in the given order; returns the order they get the slot. */
  async function order(calls: [string, EngineWork][], weights: Record<string, number> = {}): Promise<string[]> {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1, weights);
    await train(queue, 100);
    const first = await queue.acquire(open(), undefined, phi3);
    const started: string[] = [];
    const leases = new Map<string, SlotLease>();
    for (const [name, work] of calls) queued(queue, started, leases, name, work);
    first.release(100);
    for (let i = 0; i < calls.length; i++) {
      await clock.advance(0);
      leases.get(started.at(-1)!)!.release(100);
    }
    return started;
  }

  it("a tenant's burst queued first does not make another tenant wait behind all of it", async () => {
    const burst: [string, EngineWork][] = ["a1", "a2", "a3", "a4", "a5", "a6"].map((n) => [n, of("a")]);
    expect(await order([...burst, ["b1", of("b")], ["b2", of("b")]])).toEqual(["a1", "b1", "a2", "b2", "a3", "a4", "a5", "a6"]);
  });

  it("weights share the engine: a tenant of weight 3 gets three turns for another's one", async () => {
    const calls: [string, EngineWork][] = [];
    for (let i = 1; i <= 4; i++) calls.push([`a${i}`, of("a")]);
    for (let i = 1; i <= 6; i++) calls.push([`b${i}`, of("b")]);
    expect(await order(calls, { b: 3 })).toEqual(["a1", "b1", "b2", "b3", "a2", "b4", "b5", "b6", "a3", "a4"]);
  });

  it("within one tenant, a task of higher priority goes first", async () => {
    expect(await order([["enrich", of("a", 2)], ["recovery", of("a", 8)], ["rerank", of("a", 5)]])).toEqual(["recovery", "rerank", "enrich"]);
  });

  it("admission counts only the calls ahead in fair order: a quiet tenant is admitted where a flooding one is refused", async () => {
    const clock = new FakeClock();
    const queue = queueOf(clock, 1);
    await train(queue, 100);
    await queue.acquire(open(), undefined, of("a"));
    for (let i = 0; i < 5; i++) void queue.acquire(open(), undefined, of("a")).catch(() => {});
    expect(queue.forecast(of("a"))).toEqual({ waitMs: 600, serviceMs: 100, typicalMs: 100 });
    expect(queue.forecast(of("b"))).toEqual({ waitMs: 200, serviceMs: 100, typicalMs: 100 });
    await expect(queue.acquire(open(), clock.now() + 350, of("a"))).rejects.toBeInstanceOf(SaturatedError);
    expect(queue.waiting).toBe(5);
    void queue.acquire(open(), clock.now() + 350, of("b"));
    expect(queue.waiting).toBe(6);
  });
});
