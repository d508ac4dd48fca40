import { TASK_NAMES } from "@llm-pool/config";
import { countTokens, modelJson, startMockEngine, type MockEngine } from "@llm-pool/mock-engine";
import { contractScenario, driverContext, ollamaConfig, providerError, TASK_CASES } from "@llm-pool/providers/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OllamaDriver, type OllamaEndpoint } from "./index.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario: contractScenario() });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const signal = () => new AbortController().signal;

describe.each<OllamaEndpoint>(["chat", "generate"])("R-PRV-2 Ollama driver over /api/%s", (endpoint) => {
  const driver = () => new OllamaDriver(ollamaConfig(engine.url, { endpoint, keep_alive: "45m" } as never), driverContext());

  it.each(TASK_NAMES)("%s: sends the task's sampling fields and reads text, usage and finish reason", async (task) => {
    const { request, answer } = TASK_CASES[task];
    const result = await driver().infer(request, signal());

    const [entry] = engine.record();
    expect(entry).toMatchObject({
      route: `/api/${endpoint}`,
      api: "ollama",
      model: "phi3:mini",
      stream: false,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      format: request.output.kind,
      keep_alive: "45m",
      fate: "completed",
    });
    // The instruction reaches the engine ahead of the prompt: a system message, or generate's `system` field.
    expect(entry?.prompt?.preview.startsWith(request.system!.slice(0, 40))).toBe(true);
    if (endpoint === "chat") expect(entry?.prompt?.messages).toBe(2);

    const text = typeof answer === "string" ? answer : modelJson(answer);
    expect(result).toEqual({
      text,
      model: "phi3:mini",
      usage: { promptTokens: countTokens(`${request.system}\n${request.prompt}`), completionTokens: countTokens(text) },
      finishReason: "stop",
    });
    if (typeof answer !== "string") expect(JSON.parse(result.text)).toEqual(answer);
  });

  it("an answer cut by num_predict has finishReason length (done_reason \"length\")", async () => {
    const result = await driver().infer({ ...TASK_CASES.recovery_plan.request, maxTokens: 3 }, signal());
    expect(result.finishReason).toBe("length");
    expect(result.usage.completionTokens).toBe(3);
    expect(engine.record()[0]).toMatchObject({ max_tokens: 3, done_reason: "length" });
  });

  it("a model the engine does not have is model_missing", async () => {
    const missing = new OllamaDriver(ollamaConfig(engine.url, { model: "nope:1b", endpoint } as never), driverContext());
    const error = await providerError(missing.infer(TASK_CASES.judge.request, signal()), "model_missing");
    expect(error.status).toBe(404);
    expect(error.countsAsFailure).toBe(true);
  });
});

describe("R-PRV-2 Ollama request details", () => {
  it("keep_alive \"-1\" and \"0\" go as numbers, since Ollama's duration parser wants a unit on strings", async () => {
    await new OllamaDriver(ollamaConfig(engine.url, { keep_alive: "-1" }), driverContext()).infer(TASK_CASES.judge.request, signal());
    await new OllamaDriver(ollamaConfig(engine.url, { keep_alive: "0" }), driverContext()).infer(TASK_CASES.judge.request, signal());
    expect(engine.record().map((e) => e.keep_alive)).toEqual([-1, 0]);
  });

  it("plain text sends no format and a request without a seed sends none", async () => {
    await new OllamaDriver(ollamaConfig(engine.url), driverContext()).infer(TASK_CASES.enrich_metadata.request, signal());
    expect(engine.record()[0]).toMatchObject({ format: "text" });
    expect(engine.record()[0]?.seed).toBeUndefined();
  });
});

describe("R-PRV-5 Ollama probe and R-PRV-6 warm-up", () => {
  it("the probe passes when /api/tags lists the model, untagged names meaning :latest; it reads /api/ps too", async () => {
    await new OllamaDriver(ollamaConfig(engine.url), driverContext()).probe(signal());
    await new OllamaDriver(ollamaConfig(engine.url, { model: "custom" }), driverContext()).probe(signal());
    expect(engine.record().map((e) => e.route).sort()).toEqual(["/api/ps", "/api/ps", "/api/tags", "/api/tags"]);
  });

  it("the probe fails with model_missing when the model is not pulled", async () => {
    await providerError(new OllamaDriver(ollamaConfig(engine.url, { model: "llama3.1:8b" }), driverContext()).probe(signal()), "model_missing");
  });

  it("the probe fails with connection when nothing listens", async () => {
    const closed = await startMockEngine({ scenario: contractScenario() });
    await closed.close();
    await providerError(new OllamaDriver(ollamaConfig(closed.url), driverContext()).probe(signal()), "connection");
  });

  it("warm-up loads the model with an empty prompt and the configured keep_alive", async () => {
    await new OllamaDriver(ollamaConfig(engine.url, { keep_alive: "1h" }), driverContext()).warmUp(signal());
    expect(engine.record()[0]).toMatchObject({ route: "/api/generate", keep_alive: "1h", done_reason: "load", fate: "completed" });
    expect(engine.stats().resident).toEqual(["phi3:mini"]);
  });
});
