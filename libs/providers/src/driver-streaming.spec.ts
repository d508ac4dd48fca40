import type { ProviderConfig } from "@llm-pool/config";
import { Code, Deadline, FakeClock, PoolError, type ProviderRequest } from "@llm-pool/core";
import { startMockEngine, type MockEngine } from "@llm-pool/mock-engine";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Driver } from "./driver.js";
import { DEFAULT_DRIVERS } from "./drivers.js";
import type { ProviderErrorKind } from "./provider-error.js";
import {
  TASK_CASES,
  contractScenario,
  driverContext,
  engineClock,
  httpConfig,
  managed,
  ollamaConfig,
  openAiConfig,
  providerError,
  taskAnswerRules,
  untilTimers,
} from "@llm-pool/providers/test-support";

let engine: MockEngine;
beforeAll(async () => {
  const scenario = contractScenario();
  engine = await startMockEngine({
    scenario: { ...scenario, models: { ...scenario.models, "broken:latest": { latency: { kind: "fixed", ms: 1 }, faults: { script: ["stream_error"] } } } },
  });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

type Variant = [string, (url: string, model: string) => ProviderConfig];
const streaming: Variant[] = [
  ["ollama /api/chat", (url, model) => ollamaConfig(url, { model })],
  ["ollama /api/generate", (url, model) => ({ ...ollamaConfig(url, { model }), endpoint: "generate" }) as ProviderConfig],
  ["openai chat", (url, model) => openAiConfig(url, { model })],
  ["openai completions", (url, model) => openAiConfig(url, { model, endpoint: "completions" })],
];

const driverFor = (config: ProviderConfig, clock = new FakeClock()): Driver =>
  DEFAULT_DRIVERS[config.driver](config as never, driverContext({ clock }));
const open = () => new AbortController().signal;

/** Collects the pieces a streamed call hands over. */
function collector(): { pieces: string[]; onText: (text: string) => void } {
  const pieces: string[] = [];
  return { pieces, onText: (text) => pieces.push(text) };
}

describe.each(streaming)("R-API-6 the %s driver streams", (_, configFor) => {
  it.each<[string, ProviderRequest]>([
    ["text", TASK_CASES.enrich_metadata.request],
    ["json_schema", TASK_CASES.judge.request],
  ])("a %s answer: pieces in order join to the text, with the usage and finish reason of the unstreamed call", async (__, request) => {
    const driver = driverFor(configFor(engine.url, "qwen2.5:7b"));
    const whole = await driver.infer(request, open());
    const { pieces, onText } = collector();
    const streamed = await driver.inferStream(request, open(), onText);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(streamed.text);
    expect(streamed).toEqual(whole);
    expect(streamed.usage.completionTokens).toBeGreaterThan(0);
    expect(engine.record().map((entry) => entry.stream)).toEqual([false, true]);
  });

  it("max_tokens cutting the answer reads as finish reason length", async () => {
    const { pieces, onText } = collector();
    const result = await driverFor(configFor(engine.url, "qwen2.5:7b")).inferStream({ ...TASK_CASES.enrich_metadata.request, maxTokens: 3 }, open(), onText);
    expect(result).toMatchObject({ finishReason: "length", usage: { completionTokens: 3 } });
    expect(pieces.join("")).toBe(result.text);
  });

  it("each piece arrives while the engine is still generating, not at the end", async () => {
    const clock = new FakeClock();
    // Eleven words over one second of engine time: a word every ~90 ms, and time moves only when the test says.
    const paced = await startMockEngine({
      clock: engineClock(clock),
      scenario: { models: { "paced:latest": { latency: { kind: "fixed", ms: 1_000 }, answers: taskAnswerRules() } } },
    });
    try {
      const { pieces, onText } = collector();
      let settled = false;
      const call = driverFor(configFor(paced.url, "paced:latest"), clock)
        .inferStream(TASK_CASES.enrich_metadata.request, open(), onText)
        .finally(() => (settled = true));
      for (let word = 1; word <= 3; word++) {
        await untilTimers(clock, 1);
        await clock.advance(100);
        await vi.waitFor(() => expect(pieces.length).toBeGreaterThanOrEqual(word));
      }
      expect(settled).toBe(false);
      expect(paced.record()[0]?.fate).toBe("pending");
      while (!settled) {
        await clock.advance(100);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await call).text).toBe(TASK_CASES.enrich_metadata.answer);
    } finally {
      await paced.close();
    }
  });

  it("an abort mid-stream rejects as cancelled and closes the engine's request", async () => {
    const clock = new FakeClock();
    const paced = await startMockEngine({
      clock: engineClock(clock),
      scenario: { models: { "paced:latest": { latency: { kind: "fixed", ms: 1_000 }, answers: taskAnswerRules() } } },
    });
    try {
      const { pieces, onText } = collector();
      const controller = new AbortController();
      const call = providerError(driverFor(configFor(paced.url, "paced:latest"), clock).inferStream(TASK_CASES.enrich_metadata.request, controller.signal, onText), "cancelled");
      await untilTimers(clock, 1);
      await clock.advance(100);
      await vi.waitFor(() => expect(pieces).toHaveLength(1));
      controller.abort(new PoolError(Code.Canceled, "another candidate won"));
      expect((await call).code).toBe(Code.Canceled);
      await paced.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    } finally {
      await paced.close();
    }
  });

  it("the deadline passing mid-stream rejects as a timeout and closes the engine's request", async () => {
    const clock = new FakeClock();
    const paced = await startMockEngine({
      clock: engineClock(clock),
      scenario: { models: { "paced:latest": { latency: { kind: "fixed", ms: 1_000 }, answers: taskAnswerRules() } } },
    });
    try {
      const deadline = new Deadline(clock, clock.now() + 250);
      const { pieces, onText } = collector();
      const driver = driverFor(configFor(paced.url, "paced:latest"), clock);
      const call = providerError(driver.inferStream(TASK_CASES.enrich_metadata.request, deadline.signal, onText), "timeout");
      await untilTimers(clock, 2);
      await clock.advance(100);
      await vi.waitFor(() => expect(pieces).toHaveLength(1));
      await clock.advance(150);
      expect((await call).code).toBe(Code.DeadlineExceeded);
      await paced.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    } finally {
      await paced.close();
    }
  });

  it.each<[string, ProviderErrorKind]>([
    ["truncated:latest", "truncated"],
    ["malformed:latest", "malformed"],
    ["utf8:latest", "malformed"],
    ["broken:latest", "engine"],
    ["e500:latest", "http_status"],
    ["e429:latest", "rate_limited"],
    ["unknown:latest", "model_missing"],
  ])("%s fails the stream as %s, without the prompt in the message", async (model, kind) => {
    const error = await providerError(driverFor(configFor(engine.url, model)).inferStream(TASK_CASES.judge.request, open(), () => {}), kind);
    expect(error.message).not.toContain(TASK_CASES.judge.request.prompt);
  });
});

describe("R-API-6 a driver without a streaming form", () => {
  it("the http driver hands over its whole answer as one piece", async () => {
    const { pieces, onText } = collector();
    const result = await driverFor(httpConfig(engine.url, { model: "qwen2.5:7b" })).inferStream(TASK_CASES.enrich_metadata.request, open(), onText);
    expect(pieces).toEqual([result.text]);
    expect(result.text).toBe(TASK_CASES.enrich_metadata.answer);
  });
});

describe("R-API-6 the provider the orchestrator calls streams through its engine's queue", () => {
  it("pieces as the engine writes them, the call holding an engine slot until its last piece; a success for health", async () => {
    const provider = managed(ollamaConfig(engine.url, { model: "qwen2.5:7b", max_concurrency: 1 }));
    const slots: boolean[] = [];
    const pieces: string[] = [];
    const result = await provider.inferStream(TASK_CASES.enrich_metadata.request, open(), (text) => {
      pieces.push(text);
      slots.push(provider.hasFreeSlot());
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(result.text);
    expect(slots.every((free) => !free)).toBe(true);
    expect(provider.hasFreeSlot()).toBe(true);
    expect(provider.health.state).toBe("healthy");
    expect(engine.record().map((entry) => entry.stream)).toEqual([true]);
  });

  it("an engine failing mid-stream is a provider error and a failure for health", async () => {
    const provider = managed(ollamaConfig(engine.url, { model: "broken:latest" }));
    await providerError(provider.inferStream(TASK_CASES.judge.request, open(), () => {}), "engine");
    expect(provider.health.state).toBe("degraded");
  });
});
