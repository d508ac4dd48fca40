import { Code, Deadline, FakeClock, PoolError, type ProviderRequest } from "@llm-pool/core";
import { startMockEngine, type MockEngine, type Scenario } from "@llm-pool/mock-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PooledProvider } from "./pooled-provider.js";
import type { ProviderError } from "./provider-error.js";
import { TASK_CASES, engineClock, managed, ollamaConfig, taskAnswerRules, untilTimers } from "@llm-pool/providers/test-support";

// The engine and the pool share one FakeClock: an answer takes exactly 100 ms, a hang never ends.
const SCENARIO: Scenario = {
  seed: 1,
  slots: 4,
  models: {
    "phi3:mini": { latency: { kind: "fixed", ms: 100 }, answers: taskAnswerRules() },
    // Three good answers teach the provider its typical time, then the engine hangs.
    "flaky:latest": { latency: { kind: "fixed", ms: 100 }, answers: taskAnswerRules(), faults: { script: ["none", "none", "none", "hang", "hang"] } },
  },
};

let clock: FakeClock;
let engine: MockEngine;
beforeEach(async () => {
  clock = new FakeClock();
  engine = await startMockEngine({ scenario: SCENARIO, clock: engineClock(clock) });
});
afterEach(() => engine.close());

const request: ProviderRequest = TASK_CASES.expand_queries.request;
const open = () => new AbortController().signal;

/** A provider on the shared clock that has answered `answers` calls of 100 ms. */
async function trained(model: string, answers = 3, maxConcurrency = 4): Promise<PooledProvider> {
  const provider = managed(ollamaConfig(engine.url, { model, max_concurrency: maxConcurrency }), clock);
  for (let i = 0; i < answers; i++) {
    const call = provider.infer(request, open());
    await untilTimers(clock, 1);
    await clock.advance(100);
    await call;
  }
  return provider;
}

/** The engine is working on the call: sleeping through its 100 ms beside the caller's deadline. */
const answering = () => untilTimers(clock, 2);
/** The engine took the call and hangs. */
const hanging = () => engine.waitForRecord((entries) => entries.some((e) => e.fault === "hang")).then(() => {});

/** Calls with a deadline `ms` from now, lets the clock run past it once `ready`, and returns the rejection. */
async function timedOut(provider: PooledProvider, ms: number, ready: () => Promise<void> = answering, req: ProviderRequest = request): Promise<ProviderError> {
  const deadline = new Deadline(clock, clock.now() + ms);
  const call = provider.infer(req, deadline.signal).then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as ProviderError,
  );
  await ready();
  await clock.advance(ms);
  deadline.dispose();
  return call;
}

describe("R-QOS-4 how a provider classifies the end of each call", () => {
  it("the short-deadline attack: a caller's deadline shorter than the engine's typical answer is the caller's, and health stays healthy", async () => {
    const provider = await trained("phi3:mini");
    expect(provider.health.state).toBe("healthy");
    for (let i = 0; i < 9; i++) {
      const error = await timedOut(provider, 30);
      expect(error).toMatchObject({ kind: "timeout", code: Code.DeadlineExceeded, callEnd: "caller_gave_up", countsAsFailure: false });
    }
    expect(provider.health.state).toBe("healthy");
  });

  it("an engine that holds a call far past its own typical time is engine_slow, and health counts it", async () => {
    const provider = await trained("flaky:latest");
    // Typical 100 ms, slow_factor 2: hanging for 250 ms is the engine's fault.
    const error = await timedOut(provider, 250, hanging);
    expect(error.callEnd).toBe("engine_slow");
    expect(error.message).toBe("ollama-test: the engine ran 250 ms without answering, over 2x its typical 100 ms");
    expect(provider.health.state).toBe("degraded");
  });

  it("one call held far past its typical time does not lower the engine's concurrency limit: a stalled generation is not overload (R-QOS-5)", async () => {
    const provider = await trained("flaky:latest");
    expect(provider.queue.limit).toBe(4);
    expect((await timedOut(provider, 250, hanging)).callEnd).toBe("engine_slow");
    expect(provider.queue.limit).toBe(4);
  });

  it("a hang shorter than slow_factor times the typical time is still the caller's deadline", async () => {
    const provider = await trained("flaky:latest");
    expect((await timedOut(provider, 150, hanging)).callEnd).toBe("caller_gave_up");
    expect(provider.health.state).toBe("healthy");
  });

  it("asking for more tokens than usual buys proportionally more time before the engine is called slow", async () => {
    const provider = await trained("flaky:latest");
    // The typical call asked for 64 tokens; 640 may take ten times as long, so 250 ms proves nothing.
    const error = await timedOut(provider, 250, hanging, { ...request, maxTokens: 640 });
    expect(error.callEnd).toBe("caller_gave_up");
  });

  it("a call whose deadline passes while it waits for a slot is overload, never the engine's", async () => {
    const provider = await trained("phi3:mini", 0, 1);
    const first = provider.infer(request, open());
    await untilTimers(clock, 1);
    const error = await timedOut(provider, 50);
    expect(error).toMatchObject({ kind: "timeout", callEnd: "overload", code: Code.DeadlineExceeded });
    expect(error.message).toBe("ollama-test: expired while queued for engine mock");
    await clock.advance(100);
    await first;
    expect(provider.health.state).toBe("healthy");
  });

  it("slow_factor = 0 keeps the rule from before outcome classes: every timeout counts, even in the queue", async () => {
    const provider = managed(ollamaConfig(engine.url, { max_concurrency: 1 }), clock, {}, () => ({ slowFactor: 0 }));
    const first = provider.infer(request, open());
    await untilTimers(clock, 1);
    expect((await timedOut(provider, 50)).callEnd).toBe("engine_slow");
    await clock.advance(100);
    await first;
    expect((await timedOut(provider, 30)).callEnd).toBe("engine_slow");
  });

  it("a cancelled call (a lost hedge) is the caller's", async () => {
    const provider = await trained("phi3:mini");
    const hedge = new AbortController();
    const call = provider.infer(request, hedge.signal).then(() => undefined, (error: unknown) => error as ProviderError);
    await untilTimers(clock, 1);
    hedge.abort(new PoolError(Code.Canceled, "another candidate won"));
    expect((await call)?.callEnd).toBe("caller_gave_up");
  });
});
