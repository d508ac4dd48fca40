import { TASK_NAMES } from "@llm-pool/config";
import { FakeClock } from "@llm-pool/core";
import { countTokens, modelJson, startMockEngine, type MockEngine } from "@llm-pool/mock-engine";
import {
  contractScenario,
  driverContext,
  httpConfig,
  LogRecorder,
  managed,
  providerError,
  specHttp,
  TASK_CASES,
} from "@llm-pool/providers/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineHttp } from "../engine-http.js";
import { fillTemplate } from "./body-template.js";
import { HttpDriver } from "./index.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario: contractScenario() });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const signal = () => new AbortController().signal;

/** The shipped engine HTTP client, keeping what was sent. */
function sentSpy(): { http: EngineHttp; sent: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> } {
  const sent: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> = [];
  return {
    sent,
    http: (url, request) => {
      sent.push({
        url,
        method: request.method,
        headers: { ...request.headers },
        body: request.body === undefined ? undefined : JSON.parse(request.body),
      });
      return specHttp(url, request);
    },
  };
}

describe("R-PRV-4 http driver: templated request, answer and usage by JSON path", () => {
  it.each(TASK_NAMES)("%s: placeholders are filled with their types and the answer is extracted", async (task) => {
    const { request, answer } = TASK_CASES[task];
    const result = await new HttpDriver(httpConfig(engine.url), driverContext()).infer(request, signal());

    // The mock refuses a non-numeric max_tokens or temperature: typed placeholders reached it as numbers.
    expect(engine.record()[0]).toMatchObject({
      route: "/v1/chat/completions",
      model: "custom:latest",
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      fate: "completed",
    });
    const text = typeof answer === "string" ? answer : modelJson(answer);
    expect(result).toEqual({
      text,
      model: "custom:latest",
      usage: { promptTokens: countTokens(`${request.system}\n${request.prompt}`), completionTokens: countTokens(text) },
      finishReason: "stop",
    });
  });

  it("method, URL, ${ENV} headers and api_key_env are sent as configured; secrets stay out of logs", async () => {
    const spy = sentSpy();
    const logger = new LogRecorder();
    const config = httpConfig(engine.url, {
      method: "POST",
      headers: { "X-Api-Key": "${CUSTOM_KEY}", "X-Trace": "pool-${REGION}-1" },
      api_key_env: "CUSTOM_TOKEN",
    });
    const env = { CUSTOM_KEY: "key-123", REGION: "eu", CUSTOM_TOKEN: "tok-456" };
    await new HttpDriver(config, driverContext({ env, http: spy.http, logger })).infer(TASK_CASES.judge.request, signal());
    expect(spy.sent[0]).toMatchObject({
      url: `${engine.url}/v1/chat/completions`,
      method: "POST",
      headers: { "x-api-key": "key-123", "x-trace": "pool-eu-1", authorization: "Bearer tok-456" },
    });
    expect(logger.lines.join("\n")).not.toMatch(/key-123|tok-456/);
  });

  it("an unset ${ENV} header reference refuses to build the driver", () => {
    expect(() => new HttpDriver(httpConfig(engine.url, { headers: { Authorization: "Bearer ${NOPE}" } }), driverContext())).toThrow(/NOPE is not set/);
  });

  it("an answer without text at text_path is malformed; missing usage paths read as 0", async () => {
    await providerError(new HttpDriver(httpConfig(engine.url, { text_path: "choices[0].message.missing" }), driverContext()).infer(TASK_CASES.judge.request, signal()), "malformed");
    const result = await new HttpDriver(httpConfig(engine.url, { prompt_tokens_path: "usage.nope", completion_tokens_path: null }), driverContext()).infer(TASK_CASES.judge.request, signal());
    expect(result.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it("the probe GETs health_path and wants a 2xx; without one it has nothing to check", async () => {
    await new HttpDriver(httpConfig(engine.url, { health_path: "/" }), driverContext()).probe(signal());
    const missing = await providerError(new HttpDriver(httpConfig(engine.url, { health_path: "/status" }), driverContext()).probe(signal()), "http_status");
    expect(missing.status).toBe(404);
    await new HttpDriver(httpConfig(engine.url, { health_path: null }), driverContext()).probe(signal());
    expect(engine.record()).toEqual([]);
  });

  it("residency is unknown (undefined): a templated engine has no way to say what is loaded", async () => {
    const provider = managed(httpConfig(engine.url));
    await provider.infer(TASK_CASES.judge.request, signal());
    expect(provider.isResident()).toBeUndefined();
  });
});

describe("R-PRV-4 body template placeholders", () => {
  const values = { prompt: "hi", system: "", model: "m", max_tokens: 64, temperature: 0.2, seed: null, deadline_ms: 900 };

  it("a whole-string placeholder keeps its type; inside text it is spliced; other values stay", () => {
    expect(
      fillTemplate(
        { n: "{{max_tokens}}", t: "{{ temperature }}", s: "{{seed}}", d: "{{deadline_ms}}", text: "Q: {{prompt}} ({{seed}})", keep: [1, true, null, "x"] },
        values,
      ),
    ).toEqual({ n: 64, t: 0.2, s: null, d: 900, text: "Q: hi ()", keep: [1, true, null, "x"] });
  });

  it("{{deadline_ms}} is the time left before the call's deadline", async () => {
    const clock = new FakeClock();
    const spy = sentSpy();
    const config = httpConfig(engine.url, { body_template: { model: "{{model}}", messages: [{ role: "user", content: "{{prompt}}" }], budget: "{{deadline_ms}}" } });
    await new HttpDriver(config, driverContext({ clock, http: spy.http })).infer({ ...TASK_CASES.judge.request, deadlineAt: clock.now() + 1234 } as never, signal());
    expect(spy.sent[0]?.body).toMatchObject({ budget: 1234 });
  });
});
