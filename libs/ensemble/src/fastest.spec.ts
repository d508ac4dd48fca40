import { describe, expect, it } from "vitest";
import {
  Code,
  Deadline,
  FakeClock,
  PoolError,
  type CallForecast,
  type EnsemblePlan,
  type OutputSpec,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
} from "@llm-pool/core";
import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import { createFastest, fastest } from "./fastest.js";
import { EngineSaturatedError } from "./overload-error.js";

const BREAKER_SETTINGS = { window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 300_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 };

/** A provider whose calls the test settles by hand, recording what it saw. */
class ScriptedProvider implements Provider {
  readonly driver = "test";
  readonly model: string;
  started = 0;
  aborted = 0;
  #pending: { resolve: (r: ProviderResult) => void; reject: (e: unknown) => void }[] = [];

  free = true;
  resident: boolean | undefined = undefined;
  /** What the engine's queue would say of a call now; undefined: it does not know yet. */
  estimate: CallForecast | undefined = undefined;

  /** Each provider on its own engine unless a test says otherwise. */
  constructor(
    readonly name: string,
    readonly engine = `${name}-engine`,
  ) {
    this.model = `${name}-model`;
  }

  forecast(): CallForecast | undefined {
    return this.estimate;
  }

  hasFreeSlot(): boolean {
    return this.free;
  }

  isResident(): boolean | undefined {
    return this.resident;
  }

  supports(): boolean {
    return true;
  }

  /** The signal of each call, in order. */
  readonly signals: AbortSignal[] = [];

  infer(_request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    this.started++;
    this.signals.push(signal);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      signal.addEventListener("abort", () => {
        this.aborted++;
        reject(signal.reason);
      });
    });
  }

  answer(text: string): void {
    this.#pending.shift()!.resolve({ text, model: this.model, usage: { promptTokens: 3, completionTokens: 2 }, finishReason: "stop" });
  }

  fail(message = "HTTP 500"): void {
    this.#pending.shift()!.reject(new Error(message));
  }
}

function plan(clock: FakeClock, providers: Provider[], opts: { deadlineMs?: number; hedgeAfterMs?: number; output?: OutputSpec } = {}): EnsemblePlan {
  return {
    requestId: "r1",
    task: "expand_queries",
    strategy: "FASTEST",
    providers,
    request: { task: "expand_queries", prompt: "p", maxTokens: 16, temperature: 0, output: opts.output ?? { kind: "text" } },
    deadline: new Deadline(clock, clock.now() + (opts.deadlineMs ?? 1000)),
    clock,
    startedAt: clock.now(),
    hedgeAfterMs: opts.hedgeAfterMs ?? 300,
  };
}

describe("FASTEST (R-ENS-1)", () => {
  it("fires the hedge exactly at hedge_after_ms, not before", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    void fastest.run(plan(clock, [a, b], { hedgeAfterMs: 300 })).catch(() => {});
    await clock.advance(299);
    expect([a.started, b.started]).toEqual([1, 0]);
    await clock.advance(1);
    expect([a.started, b.started]).toEqual([1, 1]);
  });

  it("lets the first valid answer win and cancels the other call", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = fastest.run(plan(clock, [a, b]));
    await clock.advance(300);
    b.answer("from b");
    const outcome = await run;
    expect(outcome.output).toBe("from b");
    expect(outcome.winnerId).toBe("c2");
    expect(outcome.hedges).toBe(1);
    expect(a.aborted).toBe(1);
    expect(outcome.candidates.map((c) => [c.id, c.provider, c.status, c.hedged])).toEqual([
      ["c1", "a", "cancelled", false],
      ["c2", "b", "ok", true],
    ]);
    expect(outcome.candidates[1]!.latencyMs).toBe(300);
  });

  it("with one provider, runs its call on the deadline's own signal (nothing else can cancel it), which still ends it", async () => {
    const clock = new FakeClock();
    const a = new ScriptedProvider("a");
    const lone = plan(clock, [a], { deadlineMs: 500 });
    const run = fastest.run(lone).catch((error: unknown) => error);
    await clock.advance(0);
    expect(a.signals).toHaveLength(1);
    expect(a.signals[0]).toBe(lone.deadline.signal);
    await clock.advance(500);
    expect((await run) as PoolError).toMatchObject({ code: Code.DeadlineExceeded });
    expect(a.aborted).toBe(1);
    // Beside another provider, each call has a handle of its own under the deadline.
    const [b, c] = [new ScriptedProvider("b"), new ScriptedProvider("c")];
    const pair = plan(clock, [b, c]);
    void fastest.run(pair).catch(() => {});
    await clock.advance(300);
    expect([b.signals[0] === pair.deadline.signal, c.signals[0] === pair.deadline.signal]).toEqual([false, false]);
  });

  it("starts the next provider at once when a call fails, without waiting for the hedge", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = fastest.run(plan(clock, [a, b]));
    await clock.advance(10);
    a.fail();
    await clock.advance(0);
    expect(b.started).toBe(1);
    b.answer("ok");
    const outcome = await run;
    expect(outcome.candidates.map((c) => c.status)).toEqual(["error", "ok"]);
    expect(outcome.candidates[0]!.error).toBe("HTTP 500");
    expect(outcome.hedges).toBe(0);
  });

  it("treats an answer that is not valid JSON as a failure for a JSON task (R-ENS-6)", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = fastest.run(plan(clock, [a, b], { output: { kind: "json" } }));
    a.answer('{"terms": ["cut off');
    await clock.advance(0);
    b.answer('{"terms":["x"]}');
    const outcome = await run;
    expect(outcome.output).toBe('{"terms":["x"]}');
    expect(outcome.candidates.map((c) => c.status)).toEqual(["invalid", "ok"]);
  });

  it("is unavailable, naming every failure, when all providers fail", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = fastest.run(plan(clock, [a, b]));
    a.fail("connect ECONNREFUSED");
    await clock.advance(0);
    b.fail("HTTP 503");
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe(Code.Unavailable);
    expect((error as PoolError).message).toContain("a: error (connect ECONNREFUSED); b: error (HTTP 503)");
  });

  it("fails with deadline_exceeded at the deadline and aborts every call in flight", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = fastest.run(plan(clock, [a, b], { deadlineMs: 500, hedgeAfterMs: 300 }));
    const settled = run.catch((e: unknown) => e);
    await clock.advance(500);
    const error = await settled;
    expect((error as PoolError).code).toBe(Code.DeadlineExceeded);
    expect([a.aborted, b.aborted]).toEqual([1, 1]);
  });

  it("R-QOS-1, R-API-4: when every breaker is open, says so and when each one probes next", async () => {
    const clock = new FakeClock();
    const breakers = new BreakerBoard({ ...BREAKER_SETTINGS, open_ms: 5_000 }, clock);
    for (let i = 0; i < 10; i++) breakers.permit("a", "expand_queries")!.failure();
    await clock.advance(1_500);
    const error = await createFastest({ breakers }).run(plan(clock, [new ScriptedProvider("a")])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: Code.Unavailable, message: "no provider is available for task expand_queries: a: circuit breaker open; next probe in 4 s" });
  });

  it("is unavailable when the task has no usable provider", async () => {
    const clock = new FakeClock();
    const error = await fastest.run(plan(clock, [])).catch((e: unknown) => e);
    expect((error as PoolError).code).toBe(Code.Unavailable);
  });
});


describe("FASTEST with breakers, a hedge budget and engine awareness (R-QOS-1, R-QOS-3)", () => {
  it("skips a provider whose breaker is open and goes to the next at once", async () => {
    const clock = new FakeClock();
    const breakers = new BreakerBoard(BREAKER_SETTINGS, clock);
    for (let i = 0; i < 10; i++) breakers.permit("a", "expand_queries")!.failure();
    expect(breakers.state("a", "expand_queries")).toBe("open");
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = createFastest({ breakers }).run(plan(clock, [a, b]));
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
    b.answer("from b");
    const outcome = await run;
    expect(outcome.candidates.map((c) => [c.id, c.status])).toEqual([
      ["c1", "breaker_open"],
      ["c2", "ok"],
    ]);
    // R-API-4: the record says why the provider was skipped, and for how long.
    expect(outcome.candidates[0]!.error).toBe("circuit breaker open; next probe in 300 s");
  });

  it("reports each call's fate to its breaker: failures count, a cancelled loser does not", async () => {
    const clock = new FakeClock();
    const breakers = new BreakerBoard(BREAKER_SETTINGS, clock);
    const [a, b, c] = [new ScriptedProvider("a"), new ScriptedProvider("b"), new ScriptedProvider("c")];
    const run = createFastest({ breakers }).run(plan(clock, [a, b, c]));
    a.fail();
    await clock.advance(300); // b started at once after a failed; c hedges at 300
    c.answer("from c");
    await run;
    const calls = Object.fromEntries(breakers.snapshot().map((s) => [s.provider, [s.calls, s.failures]]));
    expect(calls).toEqual({ a: [1, 1], b: [0, 0], c: [1, 0] }); // b was cancelled: neither
  });

  it("spends the hedge budget: with none left, the hedge does not fire but a failover still does", async () => {
    const clock = new FakeClock();
    const budget = new HedgeBudget({ share: 0, burst: 1, clock });
    expect(budget.tryAcquire()).toBe(true); // the one token of the burst is gone; share 0 adds none back
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = createFastest({ budget }).run(plan(clock, [a, b]));
    await clock.advance(400);
    expect(b.started).toBe(0);
    a.fail();
    await clock.advance(0);
    expect(b.started).toBe(1);
    b.answer("ok");
    expect((await run).hedges).toBe(0);
    expect(budget.stats().denied).toBeGreaterThan(0);
  });

  it("never hedges onto a busy engine: the hedge goes to the next free provider", async () => {
    const clock = new FakeClock();
    const [a, b, c] = [new ScriptedProvider("a"), new ScriptedProvider("b"), new ScriptedProvider("c")];
    b.free = false;
    const run = createFastest({}).run(plan(clock, [a, b, c]));
    await clock.advance(300);
    expect([a.started, b.started, c.started]).toEqual([1, 0, 1]);
    c.answer("from c");
    const outcome = await run;
    expect(outcome.candidates.map((r) => [r.id, r.status, r.hedged])).toEqual([
      ["c1", "cancelled", false],
      ["c3", "ok", true],
    ]);
  });

  it("R-QOS-5: starts a provider that can start at once rather than queue on the first one's busy engine", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    a.free = false;
    void createFastest({}).run(plan(clock, [a, b])).catch(() => {});
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
  });
});

describe("FASTEST: cold models and adaptive hedging (R-ENS-1, R-QOS-3)", () => {
  it("hedges at once onto a warm provider when the primary's model is not loaded", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    a.resident = false;
    b.resident = true;
    void createFastest({}).run(plan(clock, [a, b])).catch(() => {});
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([1, 1]);
  });

  it("never hedges onto a provider whose model is not loaded while the primary is within its expected time", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    b.resident = false;
    void createFastest({}).run(plan(clock, [a, b], { deadlineMs: 2000 })).catch(() => {});
    await clock.advance(599);
    expect([a.started, b.started]).toEqual([1, 0]);
  });

  it("R-QOS-5: a hanging primary is rescued onto a cold backup once it has outlived twice its expected time", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    a.estimate = { waitMs: 0, serviceMs: 250, typicalMs: 250 };
    b.resident = false;
    const run = createFastest({}).run(plan(clock, [a, b], { deadlineMs: 1200, hedgeAfterMs: 300 }));
    await clock.advance(499);
    expect(b.started).toBe(0);
    await clock.advance(1);
    expect(b.started).toBe(1);
    await clock.advance(5);
    b.answer("from the backup");
    const outcome = await run;
    expect(outcome.output).toBe("from the backup");
    expect(outcome.candidates.map((c) => [c.provider, c.status, c.hedged])).toEqual([
      ["a", "cancelled", false],
      ["b", "ok", true],
    ]);
  });

  function adaptivePlan(clock: FakeClock, providers: Provider[]) {
    return { ...plan(clock, providers, { hedgeAfterMs: 300, deadlineMs: 2000 }), ensemble: { hedgeMode: "adaptive" as const, hedgePercentile: 0.9 } };
  }

  it("in adaptive mode hedges at the primary's observed p90 once it has 20 answers", async () => {
    const clock = new FakeClock();
    const latency = new LatencyTracker();
    for (let i = 1; i <= 20; i++) latency.record("a", "expand_queries", i * 10); // p90 = 180 ms
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    void createFastest({ latency }).run(adaptivePlan(clock, [a, b])).catch(() => {});
    await clock.advance(179);
    expect(b.started).toBe(0);
    await clock.advance(1);
    expect(b.started).toBe(1);
  });

  it("in adaptive mode falls back to hedge_after_ms until the primary has enough answers, and learns from each win", async () => {
    const clock = new FakeClock();
    const latency = new LatencyTracker();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    const run = createFastest({ latency }).run(adaptivePlan(clock, [a, b]));
    await clock.advance(299);
    expect(b.started).toBe(0);
    await clock.advance(1);
    expect(b.started).toBe(1);
    a.answer("from a");
    await run;
    expect(latency.count("a", "expand_queries")).toBe(1);
  });
});

describe("FASTEST plans with the engines' forecasts (R-QOS-5)", () => {
  it("skips a provider that cannot answer before the deadline and starts one that can", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    a.free = false;
    a.estimate = { waitMs: 900, serviceMs: 400, typicalMs: 400 };
    b.estimate = { waitMs: 0, serviceMs: 400, typicalMs: 400 };
    const run = createFastest({}).run(plan(clock, [a, b]));
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
    b.answer("from b");
    expect((await run).output).toBe("from b");
  });

  it("when no provider can start at once, starts the one expected to finish first", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    a.free = b.free = false;
    a.estimate = { waitMs: 500, serviceMs: 400, typicalMs: 400 };
    b.estimate = { waitMs: 200, serviceMs: 400, typicalMs: 400 };
    void createFastest({}).run(plan(clock, [a, b])).catch(() => {});
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
  });

  it("refuses at once, without calling any engine, as RESOURCE_EXHAUSTED with Retry-After when no engine can answer in time", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a", "mini"), new ScriptedProvider("b", "mini")];
    a.free = b.free = false;
    a.estimate = { waitMs: 1500, serviceMs: 400, typicalMs: 400 };
    b.estimate = { waitMs: 1500, serviceMs: 900, typicalMs: 900 };
    const error = await createFastest({}).run(plan(clock, [a, b])).catch((e: unknown) => e);
    expect([a.started, b.started]).toEqual([0, 0]);
    expect(error).toBeInstanceOf(EngineSaturatedError);
    expect((error as PoolError).code).toBe(Code.ResourceExhausted);
    expect((error as EngineSaturatedError).headers).toEqual({ "retry-after": "2" });
    expect((error as PoolError).message).toBe(
      "no provider can answer task expand_queries in time; retry after 2 s: " +
        "a: saturated (engine mini is saturated: an expected wait of 1500 ms and 400 ms of work exceed the 1000 ms left); " +
        "b: saturated (engine mini is saturated: an expected wait of 1500 ms and 900 ms of work exceed the 1000 ms left)",
    );
  });

  it("a delayed hedge never goes to another model on the primary's engine, only the rescue of a stuck primary does", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a", "mini"), new ScriptedProvider("b", "mini")];
    void createFastest({}).run(plan(clock, [a, b], { deadlineMs: 2000, hedgeAfterMs: 300 })).catch(() => {});
    await clock.advance(599);
    expect(b.started).toBe(0);
    await clock.advance(1);
    expect(b.started).toBe(1);
  });

  it("never hedges onto a provider that could not finish before the deadline", async () => {
    const clock = new FakeClock();
    const [a, b] = [new ScriptedProvider("a"), new ScriptedProvider("b")];
    b.estimate = { waitMs: 0, serviceMs: 800, typicalMs: 800 };
    void createFastest({}).run(plan(clock, [a, b], { deadlineMs: 1000, hedgeAfterMs: 300 })).catch(() => {});
    await clock.advance(999);
    expect(b.started).toBe(0);
  });
});
