import { postJson, readNdjson, until } from "@llm-pool/mock-engine/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.js";
import type { Scenario } from "./scenario.js";
import { startMockEngine, type MockEngine } from "./server.js";

const scenario: Scenario = {
  seed: 5,
  models: {
    "phi3:mini": { family: "shared", parameter_size: "3.8B", quantization_level: "Q4_0", size_bytes: 2_176_178_913 },
    "llama3.1:8b": { family: "shared" },
    "gemma2:9b": { family: "gemma2" },
    "qwen2.5:latest": {},
  },
};

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const generate = (body: Record<string, unknown>) => postJson(`${engine.url}/api/generate`, body);
const chat = (body: Record<string, unknown>) => postJson(`${engine.url}/api/chat`, body);
const nanoseconds = expect.any(Number);

describe("R-PRV-2 Ollama API", () => {
  it("answers GET / like Ollama does", async () => {
    const res = await fetch(engine.url);
    expect(await res.text()).toBe("Ollama is running");
  });

  it("lists the scenario's models in /api/tags", async () => {
    const body = (await (await fetch(`${engine.url}/api/tags`)).json()) as { models: Array<Record<string, unknown>> };
    expect(body.models.map((m) => m["name"])).toEqual(["phi3:mini", "llama3.1:8b", "gemma2:9b", "qwen2.5:latest"]);
    expect(body.models[0]).toEqual({
      name: "phi3:mini",
      model: "phi3:mini",
      modified_at: expect.any(String),
      size: 2_176_178_913,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      details: { parent_model: "", format: "gguf", family: "shared", families: ["shared"], parameter_size: "3.8B", quantization_level: "Q4_0" },
    });
  });

  it("/api/generate with stream:false returns one JSON answer with usage and durations in nanoseconds", async () => {
    const res = await generate({ model: "phi3:mini", system: "be brief", prompt: "expand the query jazz", stream: false, options: { seed: 1, temperature: 0 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      model: "phi3:mini",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      response: expect.any(String),
      done: true,
      done_reason: "stop",
      context: expect.any(Array),
      total_duration: nanoseconds,
      load_duration: nanoseconds,
      prompt_eval_count: 6,
      prompt_eval_duration: nanoseconds,
      eval_count: 12,
      eval_duration: nanoseconds,
    });
    for (const key of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
      expect(Number.isInteger(body[key])).toBe(true);
    }
    expect((body["response"] as string).split(" ")).toHaveLength(12);
  });

  it("/api/generate streams NDJSON by default, and the pieces add up to the non-streamed answer", async () => {
    const res = await generate({ model: "phi3:mini", prompt: "expand the query jazz", options: { seed: 1 } });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = await readNdjson(res);
    const last = lines.at(-1);
    expect(lines.slice(0, -1).every((l) => l["done"] === false && typeof l["response"] === "string")).toBe(true);
    expect(last).toMatchObject({ done: true, done_reason: "stop", response: "", eval_count: lines.length - 1, prompt_eval_count: 4 });
    const whole = (await (await generate({ model: "phi3:mini", prompt: "expand the query jazz", options: { seed: 1 }, stream: false })).json()) as { response: string };
    expect(lines.map((l) => l["response"]).join("")).toBe(whole.response);
  });

  it("/api/chat returns message.content, streamed or not", async () => {
    const messages = [
      { role: "system", content: "be brief" },
      { role: "user", content: "rank these titles" },
    ];
    const body = (await (await chat({ model: "gemma2:9b", messages, stream: false })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ model: "gemma2:9b", message: { role: "assistant", content: expect.any(String) }, done: true, done_reason: "stop", prompt_eval_count: 5, eval_count: 12 });
    expect(body).not.toHaveProperty("response");
    const lines = await readNdjson(await chat({ model: "gemma2:9b", messages }));
    expect(lines.slice(0, -1).map((l) => (l["message"] as { content: string }).content).join("")).toBe((body["message"] as { content: string }).content);
    expect(lines.at(-1)).toMatchObject({ done: true, message: { role: "assistant", content: "" }, eval_count: 12 });
  });

  it("the same prompt through generate (system+prompt) and chat (system, user) gets the same answer", async () => {
    const g = (await (await generate({ model: "phi3:mini", system: "be brief", prompt: "hello", stream: false })).json()) as { response: string };
    const c = (await (await chat({ model: "phi3:mini", stream: false, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello" }] })).json()) as { message: { content: string } };
    expect(c.message.content).toBe(g.response);
  });

  it("models of one family agree; another family does not", async () => {
    const ask = async (model: string) => ((await (await generate({ model, prompt: "best title?", stream: false, options: { seed: 7 } })).json()) as { response: string }).response;
    const [phi, llama, gemma] = await Promise.all([ask("phi3:mini"), ask("llama3.1:8b"), ask("gemma2:9b")]);
    expect(llama).toBe(phi);
    expect(gemma).not.toBe(phi);
  });

  it("options.num_predict cuts the answer to that many words with done_reason length", async () => {
    const body = (await (await generate({ model: "phi3:mini", prompt: "p", stream: false, options: { num_predict: 5 } })).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ done_reason: "length", eval_count: 5 });
    expect((body["response"] as string).split(" ")).toHaveLength(5);
    const streamed = await readNdjson(await generate({ model: "phi3:mini", prompt: "p", options: { num_predict: 3 } }));
    expect(streamed).toHaveLength(4);
    expect(streamed.at(-1)).toMatchObject({ done_reason: "length", eval_count: 3 });
  });

  it("format json and format <schema> give parseable JSON", async () => {
    const json = (await (await generate({ model: "phi3:mini", prompt: "p", stream: false, format: "json" })).json()) as { response: string };
    expect(JSON.parse(json.response)).toEqual({ answer: expect.any(String) });
    const schema = { type: "object", properties: { title: { type: "string" }, score: { type: "integer" } }, required: ["title", "score"] };
    const structured = (await (await chat({ model: "phi3:mini", stream: false, format: schema, messages: [{ role: "user", content: "p" }] })).json()) as { message: { content: string } };
    expect(JSON.parse(structured.message.content)).toEqual({ title: expect.any(String), score: expect.any(Number) });
  });

  it("an untagged model name means :latest", async () => {
    const res = await generate({ model: "qwen2.5", prompt: "p", stream: false });
    expect(res.status).toBe(200);
  });

  it("an unknown model gets Ollama's 404 body", async () => {
    const res = await generate({ model: "mistral:7b", prompt: "p" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "model 'mistral:7b' not found" });
    expect((await chat({ model: "mistral:7b", messages: [] })).status).toBe(404);
  });

  it("bad requests get 400 with an error naming the problem", async () => {
    const missing = await generate({ prompt: "p" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "model is required" });
    const badJson = await fetch(`${engine.url}/api/generate`, { method: "POST", body: "{not json" });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: expect.stringMatching(/^invalid JSON body/) });
    const badFormat = await generate({ model: "phi3:mini", prompt: "p", format: "xml" });
    expect(await badFormat.json()).toEqual({ error: expect.stringMatching(/^invalid format/) });
    const badKeepAlive = await generate({ model: "phi3:mini", prompt: "p", keep_alive: "soon" });
    expect(await badKeepAlive.json()).toEqual({ error: expect.stringMatching(/^invalid keep_alive/) });
    expect(engine.record().map((e) => [e.fate, e.status])).toEqual(Array(4).fill(["error", 400]));
  });

  it("records what each request asked for", async () => {
    await generate({ model: "phi3:mini", prompt: "one two three", stream: false, format: "json", keep_alive: "1m", options: { seed: 9, temperature: 0.2, num_predict: 64, top_p: 0.9 } });
    expect(engine.record()[0]).toMatchObject({
      seq: 1,
      method: "POST",
      route: "/api/generate",
      api: "ollama",
      model: "phi3:mini",
      stream: false,
      prompt: { words: 3, chars: 13, preview: "one two three" },
      seed: 9,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      format: "json",
      keep_alive: "1m",
      fate: "completed",
      status: 200,
      done_reason: "stop",
      eval_count: 15, // { "answer": <12 words> }
      prompt_eval_count: 3,
    });
  });
});

describe("R-PRV-6 residency: warm-up, /api/ps and keep_alive", () => {
  it("an empty prompt loads the model (done_reason load) and /api/ps shows it until keep_alive", async () => {
    const res = await generate({ model: "llama3.1:8b", prompt: "", keep_alive: "10m" });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ model: "llama3.1:8b", created_at: expect.any(String), response: "", done: true, done_reason: "load" });
    const ps = (await (await fetch(`${engine.url}/api/ps`)).json()) as { models: Array<Record<string, unknown>> };
    expect(ps.models).toEqual([
      expect.objectContaining({ name: "llama3.1:8b", model: "llama3.1:8b", size_vram: expect.any(Number), context_length: 4096, expires_at: expect.any(String) }),
    ]);
    const minutesLeft = (Date.parse(ps.models[0]?.["expires_at"] as string) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(9);
    expect(minutesLeft).toBeLessThanOrEqual(10);
  });

  it("chat with no messages is a warm-up too; keep_alive 0 unloads", async () => {
    const loaded = await (await chat({ model: "gemma2:9b", messages: [] })).json();
    expect(loaded).toMatchObject({ message: { role: "assistant", content: "" }, done: true, done_reason: "load" });
    expect(engine.stats().resident).toEqual(["gemma2:9b"]);
    const unloaded = await (await generate({ model: "gemma2:9b", keep_alive: 0 })).json();
    expect(unloaded).toMatchObject({ done: true, done_reason: "unload" });
    expect(((await (await fetch(`${engine.url}/api/ps`)).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it("a negative keep_alive keeps the model forever", async () => {
    await generate({ model: "phi3:mini", prompt: "", keep_alive: -1 });
    const ps = (await (await fetch(`${engine.url}/api/ps`)).json()) as { models: Array<{ expires_at: string }> };
    expect(new Date(ps.models[0]?.expires_at ?? 0).getUTCFullYear()).toBeGreaterThan(2300);
  });
});

describe("R-PRV-6 residency with a manual clock", () => {
  it("evicts after keep_alive, and the next request pays the cold load again", async () => {
    const clock = new ManualClock();
    const local = await startMockEngine({
      clock,
      scenario: { default_keep_alive: "5m", models: { m: { latency: { kind: "fixed", ms: 0, cold_load_ms: 2000 } } } },
    });
    try {
      const ask = () => postJson(`${local.url}/api/generate`, { model: "m", prompt: "p", stream: false });
      const first = ask();
      await until(() => clock.pendingSleeps === 1);
      clock.advance(2000);
      const body = (await (await first).json()) as { load_duration: number };
      expect(body.load_duration).toBe(2000 * 1e6);
      expect(local.stats().resident).toEqual(["m"]);
      clock.advance(4 * 60_000);
      await (await ask()).json(); // warm: no sleep needed
      clock.advance(5 * 60_000 + 1);
      expect(local.stats().resident).toEqual([]);
      const third = ask();
      await until(() => clock.pendingSleeps === 1);
      clock.advance(2000);
      await (await third).json();
      expect(local.record().map((e) => e.cold)).toEqual([true, false, true]);
    } finally {
      await local.close();
    }
  });
});
