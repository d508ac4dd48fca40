import { postJson, readSse } from "@llm-pool/mock-engine/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockEngine, type MockEngine } from "./server.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({
    scenario: { models: { "qwen2.5:7b": { family: "qwen" }, "llama3.1:8b": { family: "llama" } } },
  });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const chatUrl = () => `${engine.url}/v1/chat/completions`;
const completionsUrl = () => `${engine.url}/v1/completions`;
const messages = [
  { role: "system", content: "be brief" },
  { role: "user", content: "expand the query jazz" },
];

describe("R-PRV-3 OpenAI-compatible API", () => {
  it("lists models at /v1/models", async () => {
    expect(await (await fetch(`${engine.url}/v1/models`)).json()).toEqual({
      object: "list",
      data: [
        { id: "qwen2.5:7b", object: "model", created: expect.any(Number), owned_by: "library" },
        { id: "llama3.1:8b", object: "model", created: expect.any(Number), owned_by: "library" },
      ],
    });
  });

  it("/v1/chat/completions answers a chat.completion with usage", async () => {
    const res = await postJson(chatUrl(), { model: "qwen2.5:7b", messages, temperature: 0, seed: 3 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "qwen2.5:7b",
      system_fingerprint: expect.any(String),
      choices: [{ index: 0, message: { role: "assistant", content: expect.any(String), refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 },
    });
  });

  it("streams chat as SSE chunks: role first, content deltas, finish_reason, then [DONE]", async () => {
    const res = await postJson(chatUrl(), { model: "qwen2.5:7b", messages, seed: 3, stream: true });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = await readSse(res);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { object: string; id: string; choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }> });
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]?.id)).toBe(true);
    expect(chunks[0]?.choices[0]).toMatchObject({ delta: { role: "assistant", content: "" }, finish_reason: null });
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    const whole = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, seed: 3 })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(streamed).toBe(whole.choices[0]?.message.content);
  });

  it("stream_options.include_usage adds a last chunk with usage and no choices", async () => {
    const events = await readSse(await postJson(chatUrl(), { model: "qwen2.5:7b", messages, stream: true, stream_options: { include_usage: true } }));
    const last = JSON.parse(events.at(-2) ?? "{}") as Record<string, unknown>;
    expect(last).toMatchObject({ choices: [], usage: { prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 } });
    expect(JSON.parse(events[0] ?? "{}")).toMatchObject({ usage: null });
  });

  it("max_tokens (or max_completion_tokens) cuts the answer with finish_reason length", async () => {
    const cut = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, max_tokens: 4 })).json()) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: Record<string, number> };
    expect(cut.choices[0]?.finish_reason).toBe("length");
    expect(cut.choices[0]?.message.content.split(" ")).toHaveLength(4);
    expect(cut.usage).toEqual({ prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
    const newer = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, max_completion_tokens: 2 })).json()) as { usage: Record<string, number> };
    expect(newer.usage["completion_tokens"]).toBe(2);
  });

  it("/v1/completions answers text_completion, 16 tokens by default like vLLM", async () => {
    const body = (await (await postJson(completionsUrl(), { model: "llama3.1:8b", prompt: "once upon a time" })).json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.stringMatching(/^cmpl-/),
      object: "text_completion",
      created: expect.any(Number),
      model: "llama3.1:8b",
      system_fingerprint: expect.any(String),
      choices: [{ text: expect.any(String), index: 0, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 4, completion_tokens: 12, total_tokens: 16 },
    });
    const long = (await (await postJson(completionsUrl(), { model: "llama3.1:8b", prompt: "p", max_tokens: 100 })).json()) as { usage: Record<string, number> };
    expect(long.usage["completion_tokens"]).toBe(12);
    const events = await readSse(await postJson(completionsUrl(), { model: "llama3.1:8b", prompt: "once upon a time", max_tokens: 3, stream: true }));
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { object: string; choices: Array<{ text: string; finish_reason: string | null }> });
    expect(chunks.every((c) => c.object === "text_completion")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.text).join("").split(" ")).toHaveLength(3);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("length");
  });

  it("response_format json_object and json_schema give parseable JSON", async () => {
    const obj = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, response_format: { type: "json_object" } })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(JSON.parse(obj.choices[0]?.message.content ?? "")).toEqual({ answer: expect.any(String) });
    const schema = { type: "object", properties: { queries: { type: "array", items: { type: "string" } } }, required: ["queries"] };
    const structured = (await (
      await postJson(chatUrl(), { model: "qwen2.5:7b", messages, response_format: { type: "json_schema", json_schema: { name: "expansion", schema, strict: true } } })
    ).json()) as { choices: Array<{ message: { content: string } }> };
    expect(JSON.parse(structured.choices[0]?.message.content ?? "")).toEqual({ queries: [expect.any(String)] });
  });

  it("an unknown model gets OpenAI's 404 error body", async () => {
    const res = await postJson(chatUrl(), { model: "gpt-4o", messages });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: "The model `gpt-4o` does not exist or you do not have access to it.", type: "invalid_request_error", param: null, code: "model_not_found" },
    });
  });

  it("bad requests get 400 invalid_request_error naming the parameter", async () => {
    const noMessages = await postJson(chatUrl(), { model: "qwen2.5:7b" });
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toEqual({ error: { message: "Missing required parameter: 'messages'.", type: "invalid_request_error", param: "messages", code: null } });
    const badFormat = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, response_format: { type: "yaml" } })).json()) as { error: { param: string } };
    expect(badFormat.error.param).toBe("response_format");
    const badLimit = (await (await postJson(chatUrl(), { model: "qwen2.5:7b", messages, max_tokens: -1 })).json()) as { error: { param: string } };
    expect(badLimit.error.param).toBe("max_tokens");
    const noModel = (await (await postJson(completionsUrl(), { prompt: "p" })).json()) as { error: { param: string } };
    expect(noModel.error.param).toBe("model");
  });

  it("records seed, temperature, max_tokens and format as seen", async () => {
    await postJson(chatUrl(), { model: "qwen2.5:7b", messages, seed: 11, temperature: 0.1, top_p: 0.5, max_tokens: 64, response_format: { type: "json_object" } }).then((r) => r.json());
    expect(engine.record()[0]).toMatchObject({ route: "/v1/chat/completions", api: "openai", seed: 11, temperature: 0.1, top_p: 0.5, max_tokens: 64, format: "json", prompt: { messages: 2, words: 6 }, fate: "completed" });
  });
});
