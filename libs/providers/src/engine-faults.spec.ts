import type { ProviderConfig } from "@llm-pool/config";
import { Code, Deadline, FakeClock, PoolError } from "@llm-pool/core";
import { startMockEngine, type MockEngine } from "@llm-pool/mock-engine";
import {
  contractScenario,
  httpConfig,
  managed,
  ollamaConfig,
  openAiConfig,
  providerError,
  TASK_CASES,
} from "@llm-pool/providers/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ProviderErrorKind } from "./provider-error.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario: contractScenario() });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

type Variant = [string, (model: string) => ProviderConfig];
const variants: Variant[] = [
  ["ollama /api/chat", (model) => ollamaConfig(engine.url, { model })],
  ["ollama /api/generate", (model) => ({ ...ollamaConfig(engine.url, { model }), endpoint: "generate" }) as ProviderConfig],
  ["openai chat", (model) => openAiConfig(engine.url, { model })],
  ["openai completions", (model) => openAiConfig(engine.url, { model, endpoint: "completions" })],
  ["http template", (model) => httpConfig(engine.url, { model })],
];

interface FaultCase {
  readonly model: string;
  readonly kind: ProviderErrorKind;
  readonly code: Code;
  readonly countsAsFailure: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

const faults: FaultCase[] = [
  { model: "e500:latest", kind: "http_status", code: Code.Unavailable, countsAsFailure: true, status: 500 },
  // "Busy" is load, not a fault (R-QOS-4): it must not take the provider away.
  { model: "e429:latest", kind: "rate_limited", code: Code.Unavailable, countsAsFailure: false, status: 429, retryAfterMs: 3000 },
  { model: "malformed:latest", kind: "malformed", code: Code.Unavailable, countsAsFailure: true },
  { model: "truncated:latest", kind: "truncated", code: Code.Unavailable, countsAsFailure: true },
  // A 200 whose text is not UTF-8 would otherwise reach the client with U+FFFD in it.
  { model: "utf8:latest", kind: "malformed", code: Code.Unavailable, countsAsFailure: true },
  { model: "reset:latest", kind: "connection", code: Code.Unavailable, countsAsFailure: true },
  { model: "unknown:latest", kind: "model_missing", code: Code.Unavailable, countsAsFailure: true, status: 404 },
];

const request = TASK_CASES.judge.request;
const open = () => new AbortController().signal;

describe.each(variants)("R-PRV-7 engine faults through the %s driver", (_, configFor) => {
  it.each(faults)("$model -> $kind ($code)", async (fault) => {
    const provider = managed(configFor(fault.model));
    const error = await providerError(provider.infer(request, open()), fault.kind);
    expect(error.code).toBe(fault.code);
    expect(error.countsAsFailure).toBe(fault.countsAsFailure);
    expect(error.status).toBe(fault.status);
    expect(error.retryAfterMs).toBe(fault.retryAfterMs);
    expect(error.message).not.toContain(request.prompt);
    // A real call's engine fault is a passive health result; load is not.
    expect(provider.health.state).toBe(fault.countsAsFailure ? "degraded" : "unknown");
  });

  it("a hung engine hits the caller's deadline: timeout, DeadlineExceeded; the engine sees the request cancelled", async () => {
    const clock = new FakeClock();
    const provider = managed(configFor("hang:latest"), clock);
    const deadline = new Deadline(clock, clock.now() + 800);
    const outcome = providerError(provider.infer(request, deadline.signal), "timeout");
    await engine.waitForRecord((entries) => entries.some((e) => e.fault === "hang"));
    await clock.advance(800);
    const error = await outcome;
    expect(error.code).toBe(Code.DeadlineExceeded);
    // Without a typical time yet, a caller's deadline cannot prove the engine slow (R-QOS-4; see call-end.spec.ts).
    expect(error.callEnd).toBe("caller_gave_up");
    await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
  });

  it("a lost hedge aborts the call: cancelled, Canceled, not counted; the engine stops generating", async () => {
    const provider = managed(configFor("slow:latest"));
    const hedge = new AbortController();
    const outcome = providerError(provider.infer(request, hedge.signal), "cancelled");
    await engine.waitForRecord((entries) => entries[0]?.start_order === 1);
    hedge.abort(new PoolError(Code.Canceled, "another candidate won"));
    const error = await outcome;
    expect(error.code).toBe(Code.Canceled);
    expect(error.countsAsFailure).toBe(false);
    await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    expect(provider.health.state).toBe("unknown");
  });

  it("the provider's own timeout_ms cuts a hung call, and health counts it", async () => {
    const clock = new FakeClock();
    const provider = managed({ ...configFor("hang:latest"), timeout_ms: 300 }, clock);
    const outcome = providerError(provider.infer(request, open()), "timeout");
    await engine.waitForRecord((entries) => entries.some((e) => e.fault === "hang"));
    await clock.advance(300);
    const error = await outcome;
    expect(error.cause).toMatchObject({ message: "provider timeout of 300 ms exceeded" });
    expect(error.callEnd).toBe("engine_slow");
    await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    expect(provider.health.state).toBe("degraded");
  });

  it("a call whose deadline comes before timeout_ms is cut by the deadline, with no timer of the provider's own", async () => {
    const clock = new FakeClock();
    const provider = managed({ ...configFor("hang:latest"), timeout_ms: 5000 }, clock);
    const deadline = new Deadline(clock, clock.now() + 800);
    const outcome = providerError(provider.infer({ ...request, deadlineAt: deadline.at }, deadline.signal), "timeout");
    await engine.waitForRecord((entries) => entries.some((e) => e.fault === "hang"));
    expect(clock.pending).toBe(1);
    await clock.advance(800);
    const error = await outcome;
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(error.cause).toMatchObject({ message: "deadline of 800 ms exceeded" });
    await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
  });
});

describe("R-PRV-1 cancellation before the request leaves", () => {
  it("an already aborted signal never reaches the engine", async () => {
    const controller = new AbortController();
    controller.abort(new PoolError(Code.DeadlineExceeded, "deadline of 0 ms exceeded"));
    await providerError(managed(ollamaConfig(engine.url)).infer(request, controller.signal), "timeout");
    expect(engine.record()).toEqual([]);
  });
});
