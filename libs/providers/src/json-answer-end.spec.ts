import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderRequest } from "@llm-pool/core";
import { driverContext, ollamaConfig, openAiConfig } from "@llm-pool/providers/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaDriver } from "./ollama/index.js";
import { OpenAiDriver } from "./openai/index.js";

// R-ENS-6: engines' JSON grammars allow whitespace after the value, and a small model fills it (an
// Ollama answer was seen ending in tabs up to max_tokens). Every driver ends a JSON answer at its value.
// The mock engine speaks in whitespace-separated words and never ends on whitespace, so this engine
// is a bare HTTP server that answers every route with the same padded text.
const PADDED = '{"city": "Lisbon"}\n\t\t\t\t    \n\t';
const MODEL = "padded:1b";

const BODIES: Readonly<Record<string, unknown>> = {
  "/api/chat": { model: MODEL, message: { role: "assistant", content: PADDED }, done: true, done_reason: "stop", prompt_eval_count: 3, eval_count: 9 },
  "/api/generate": { model: MODEL, response: PADDED, done: true, done_reason: "stop", prompt_eval_count: 3, eval_count: 9 },
  "/v1/chat/completions": { model: MODEL, choices: [{ index: 0, message: { role: "assistant", content: PADDED }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 9 } },
  "/v1/completions": { model: MODEL, choices: [{ index: 0, text: PADDED, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 9 } },
};

let server: Server;
const engine = { url: "" };
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const body = BODIES[req.url ?? ""];
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(body ?? { error: "not found" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  engine.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (output: ProviderRequest["output"]): ProviderRequest => ({
  task: "enrich_metadata",
  prompt: "Which city?",
  maxTokens: 64,
  temperature: 0,
  seed: 1,
  output,
});
const schema = { type: "object", properties: { city: { type: "string" } } };
const drivers = {
  "ollama /api/chat": () => new OllamaDriver(ollamaConfig(engine.url, { model: MODEL }), driverContext()),
  "ollama /api/generate": () => new OllamaDriver(ollamaConfig(engine.url, { model: MODEL, endpoint: "generate" }), driverContext()),
  "openai /v1/chat/completions": () => new OpenAiDriver(openAiConfig(engine.url, { model: MODEL }), driverContext()),
  "openai /v1/completions": () => new OpenAiDriver(openAiConfig(engine.url, { model: MODEL, endpoint: "completions" }), driverContext()),
};

describe.each(Object.entries(drivers))("R-PRV-2/R-PRV-3 %s: a JSON answer ends at its value", (_, driver) => {
  it.each([{ kind: "json" } as const, { kind: "json_schema", schema } as const])("output $kind: trailing whitespace is trimmed", async (output) => {
    const result = await driver().infer(request(output), new AbortController().signal);
    expect(result.text).toBe('{"city": "Lisbon"}');
  });

  it("text output is returned as the engine wrote it", async () => {
    const result = await driver().infer(request({ kind: "text" }), new AbortController().signal);
    expect(result.text).toBe(PADDED);
  });
});
