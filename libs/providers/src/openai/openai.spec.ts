import { TASK_NAMES, type OpenAiProviderConfig } from "@llm-pool/config";
import { countTokens, modelJson, startMockEngine, type MockEngine } from "@llm-pool/mock-engine";
import {
  contractScenario,
  driverContext,
  LogRecorder,
  managed,
  openAiConfig,
  providerError,
  specHttp,
  TASK_CASES,
} from "@llm-pool/providers/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineHttp } from "../engine-http.js";
import { OpenAiDriver } from "./index.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario: contractScenario() });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const signal = () => new AbortController().signal;

/** The shipped engine HTTP client, with the headers of every request kept for inspection. */
function headerSpy(): { http: EngineHttp; headers: Array<Record<string, string>> } {
  const headers: Array<Record<string, string>> = [];
  return {
    headers,
    http: (url, request) => {
      headers.push({ ...request.headers });
      return specHttp(url, request);
    },
  };
}

const routes: Record<OpenAiProviderConfig["endpoint"], string> = { chat: "/v1/chat/completions", completions: "/v1/completions" };

describe.each<OpenAiProviderConfig["endpoint"]>(["chat", "completions"])("R-PRV-3 OpenAI-compatible driver, endpoint %s", (endpoint) => {
  const driver = () => new OpenAiDriver(openAiConfig(engine.url, { endpoint }), driverContext());

  it.each(TASK_NAMES)("%s: sends max_tokens, temperature, top_p, seed and response_format; reads text, usage, finish_reason", async (task) => {
    const { request, answer } = TASK_CASES[task];
    const result = await driver().infer(request, signal());

    const [entry] = engine.record();
    expect(entry).toMatchObject({
      route: routes[endpoint],
      api: "openai",
      model: "qwen2.5:7b",
      stream: false,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      top_p: 1,
      seed: request.seed,
      format: request.output.kind,
      fate: "completed",
    });
    expect(entry?.prompt?.preview.startsWith(request.system!.slice(0, 40))).toBe(true);

    const text = typeof answer === "string" ? answer : modelJson(answer);
    // Chat sends system and prompt as two messages; completions joins them with a blank line.
    const promptText = endpoint === "chat" ? `${request.system}\n${request.prompt}` : `${request.system}\n\n${request.prompt}`;
    expect(result).toEqual({
      text,
      model: "qwen2.5:7b",
      usage: { promptTokens: countTokens(promptText), completionTokens: countTokens(text) },
      finishReason: "stop",
    });
  });

  it("an answer cut by max_tokens has finishReason length", async () => {
    const result = await driver().infer({ ...TASK_CASES.expand_queries.request, maxTokens: 2 }, signal());
    expect(result.finishReason).toBe("length");
    expect(result.usage.completionTokens).toBe(2);
  });

  it("temperature 0 and top_p are sent even when they are the servers' defaults", async () => {
    await driver().infer({ ...TASK_CASES.judge.request, temperature: 0 }, signal());
    expect(engine.record()[0]).toMatchObject({ temperature: 0, top_p: 1 });
  });
});

describe("R-PRV-3 OpenAI request details", () => {
  it("json_schema goes as a strict named response_format; json as json_object", async () => {
    const spy = headerSpy();
    const bodies: unknown[] = [];
    const httpWithBodies: EngineHttp = (url, request) => {
      bodies.push(JSON.parse(String(request.body)));
      return spy.http(url, request);
    };
    const driver = new OpenAiDriver(openAiConfig(engine.url), driverContext({ http: httpWithBodies }));
    await driver.infer(TASK_CASES.site_tactics.request, signal());
    await driver.infer(TASK_CASES.expand_queries.request, signal());
    await driver.infer(TASK_CASES.enrich_metadata.request, signal());
    const schema = TASK_CASES.site_tactics.request.output.kind === "json_schema" ? TASK_CASES.site_tactics.request.output.schema : undefined;
    expect(bodies.map((b) => (b as { response_format?: unknown }).response_format)).toEqual([
      { type: "json_schema", json_schema: { name: "site_tactics", schema, strict: true } },
      { type: "json_object" },
      undefined,
    ]);
  });

  it("the bearer key comes from the env var named by api_key_env and never reaches logs or errors", async () => {
    const spy = headerSpy();
    const logger = new LogRecorder();
    const config = openAiConfig(engine.url, { api_key_env: "VLLM_KEY" });
    const driver = new OpenAiDriver(config, driverContext({ env: { VLLM_KEY: "sk-very-secret" }, http: spy.http, logger }));
    await driver.infer(TASK_CASES.judge.request, signal());
    await driver.probe(signal());
    const missing = new OpenAiDriver({ ...config, model: "nope" }, driverContext({ env: { VLLM_KEY: "sk-very-secret" }, http: spy.http, logger }));
    const error = await providerError(missing.infer(TASK_CASES.judge.request, signal()), "model_missing");
    expect(spy.headers.map((h) => h["authorization"])).toEqual(["Bearer sk-very-secret", "Bearer sk-very-secret", "Bearer sk-very-secret"]);
    expect(JSON.stringify([logger.lines, error.message, String(error.cause)])).not.toContain("sk-very-secret");
  });

  it("an unset api_key_env refuses to build the driver, naming the variable only", () => {
    expect(() => new OpenAiDriver(openAiConfig(engine.url, { api_key_env: "VLLM_KEY" }), driverContext())).toThrow(/VLLM_KEY is not set/);
  });

  it("a base_url that already ends in /v1 is not doubled", async () => {
    await new OpenAiDriver(openAiConfig(`${engine.url}/v1/`), driverContext()).infer(TASK_CASES.judge.request, signal());
    expect(engine.record()[0]?.route).toBe("/v1/chat/completions");
  });
});

describe("R-PRV-5 OpenAI probe and R-PRV-6 warm-up", () => {
  it("the probe passes when /v1/models lists the model, and fails with model_missing when it does not", async () => {
    await new OpenAiDriver(openAiConfig(engine.url), driverContext()).probe(signal());
    await providerError(new OpenAiDriver(openAiConfig(engine.url, { model: "gpt-9" }), driverContext()).probe(signal()), "model_missing");
    expect(engine.record().map((e) => e.route)).toEqual(["/v1/models", "/v1/models"]);
  });

  it("warm-up is a one-token request, so servers that load on demand load the model now", async () => {
    await new OpenAiDriver(openAiConfig(engine.url), driverContext()).warmUp(signal());
    expect(engine.record()[0]).toMatchObject({ route: "/v1/chat/completions", max_tokens: 1, temperature: 0, fate: "completed" });
  });

  it("residency is unknown (undefined) after probe, warm-up and calls: the API does not say what is loaded", async () => {
    const provider = managed(openAiConfig(engine.url));
    await provider.probe(signal());
    await provider.warmUp(signal());
    await provider.infer(TASK_CASES.judge.request, signal());
    expect(provider.isResident()).toBeUndefined();
  });
});
