import { postJson, readNdjson, until } from "@llm-pool/mock-engine/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.js";
import type { FaultKind, Scenario } from "./scenario.js";
import { startMockEngine, type MockEngine } from "./server.js";

// One model per fault, each scripted to fail on its first call only.
const once = (fault: FaultKind) => ({ latency: { kind: "fixed", ms: 0 } as const, faults: { script: [fault], retry_after_s: 3, slow_token_ms: 1 } });
const scenario: Scenario = {
  models: {
    "e500:latest": once("http_500"),
    "e429:latest": once("http_429"),
    "malformed:latest": once("malformed_json"),
    "truncated:latest": once("truncated_body"),
    "utf8:latest": once("invalid_utf8"),
    "reset:latest": once("reset"),
    "hang:latest": once("hang"),
    "slow:latest": once("slow_stream"),
    "broken:latest": { ...once("stream_error"), faults: { script: ["stream_error", "stream_error", "stream_error"] } },
    "script:latest": { faults: { script: ["http_500", "none", "http_429"] } },
  },
};

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

const generate = (model: string, extra: Record<string, unknown> = {}, init: RequestInit = {}) =>
  postJson(`${engine.url}/api/generate`, { model, prompt: "hello there", stream: false, ...extra }, init);
const chat = (model: string, extra: Record<string, unknown> = {}) =>
  postJson(`${engine.url}/v1/chat/completions`, { model, messages: [{ role: "user", content: "hello there" }], ...extra });
const lastEntry = () => engine.record().at(-1);

describe("R-PRV-7 injected faults", () => {
  it("http_500 answers 500 with each API's error body", async () => {
    const ollama = await generate("e500:latest");
    expect(ollama.status).toBe(500);
    expect(await ollama.json()).toEqual({ error: expect.any(String) });
    expect(lastEntry()).toMatchObject({ fault: "http_500", fate: "fault", status: 500 });
    engine.reset();
    const openai = await chat("e500:latest");
    expect(openai.status).toBe(500);
    expect(await openai.json()).toEqual({ error: { message: expect.any(String), type: "server_error", param: null, code: null } });
  });

  it("http_429 answers 429 with Retry-After", async () => {
    const res = await chat("e429:latest");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.json()).toMatchObject({ error: { code: "rate_limit_exceeded" } });
    expect(lastEntry()).toMatchObject({ fault: "http_429", fate: "fault", status: 429 });
  });

  it("malformed_json sends a complete 200 whose JSON does not parse", async () => {
    const res = await generate("malformed:latest");
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    expect(lastEntry()).toMatchObject({ fault: "malformed_json", fate: "fault" });
  });

  it("invalid_utf8 sends a complete 200 whose JSON parses but whose answer holds a byte that is never UTF-8", async () => {
    const res = await generate("utf8:latest");
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(0xff)).toBe(true);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow(TypeError);
    expect((JSON.parse(bytes.toString("utf8")) as { response: string }).response.startsWith("\uFFFD")).toBe(true);
    expect(lastEntry()).toMatchObject({ fault: "invalid_utf8", fate: "fault", status: 200 });
    engine.reset();
    const stream = Buffer.from(await (await chat("utf8:latest", { stream: true })).arrayBuffer());
    expect(stream.includes(0xff)).toBe(true);
  });

  it("malformed_json in a stream breaks the final NDJSON line or SSE event", async () => {
    await expect(readNdjson(await generate("malformed:latest", { stream: true }))).rejects.toThrow(SyntaxError);
    engine.reset();
    const text = await (await chat("malformed:latest", { stream: true })).text();
    const events = text.split("\n\n").filter((e) => e.startsWith("data: {"));
    expect(() => events.forEach((e) => JSON.parse(e.slice(6)))).toThrow(SyntaxError);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("truncated_body promises more than it sends, then closes: reading the body fails", async () => {
    const res = await generate("truncated:latest");
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(0);
    await expect(res.text()).rejects.toThrow();
    expect(lastEntry()).toMatchObject({ fault: "truncated_body", fate: "fault" });
  });

  it("truncated_body cuts a stream before its end", async () => {
    const res = await chat("truncated:latest", { stream: true });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("reset drops the connection: fetch rejects", async () => {
    await expect(generate("reset:latest")).rejects.toThrow(TypeError);
    await engine.waitForRecord((entries) => entries[0]?.fate === "fault");
    expect(lastEntry()).toMatchObject({ fault: "reset", fate: "fault" });
    expect((await generate("reset:latest")).status).toBe(200);
  });

  it("hang never answers; the client giving up is recorded as cancelled", async () => {
    const abort = new AbortController();
    const pending = generate("hang:latest", {}, { signal: abort.signal });
    await engine.waitForRecord((entries) => entries[0]?.fault === "hang");
    expect(lastEntry()?.fate).toBe("pending");
    abort.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const [entry] = await engine.waitForRecord((entries) => entries[0]?.fate === "cancelled");
    expect(entry).toMatchObject({ fault: "hang", fate: "cancelled" });
  });

  it("slow_stream completes, with the fault noted", async () => {
    const lines = await readNdjson(await generate("slow:latest", { stream: true }));
    expect(lines.at(-1)).toMatchObject({ done: true, eval_count: 12 });
    expect(lastEntry()).toMatchObject({ fault: "slow_stream", fate: "completed" });
  });

  it("stream_error stops a stream half-way with each API's error object as its last frame; unstreamed it is a 500", async () => {
    const lines = await readNdjson(await generate("broken:latest", { stream: true }));
    expect(lines.at(-1)).toEqual({ error: expect.any(String) });
    expect(lines.slice(0, -1).every((line) => line["done"] === false)).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lastEntry()).toMatchObject({ fault: "stream_error", fate: "fault" });
    const events = (await (await chat("broken:latest", { stream: true })).text()).split("\n\n").filter((e) => e.startsWith("data: {"));
    expect(JSON.parse(events.at(-1)!.slice(6))).toMatchObject({ error: { type: "server_error" } });
    expect((await generate("broken:latest")).status).toBe(500);
    expect(lastEntry()).toMatchObject({ fault: "stream_error", fate: "fault", status: 500 });
  });

  it("a script plays in order, then calls succeed", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await generate("script:latest")).status);
    expect(statuses).toEqual([500, 200, 429, 200, 200]);
    engine.reset();
    expect((await generate("script:latest")).status).toBe(500);
  });
});

describe("slow_stream with a manual clock", () => {
  it("spaces tokens slow_token_ms apart", async () => {
    const clock = new ManualClock();
    const local = await startMockEngine({ clock, scenario: { models: { m: { answers: { mode: "echo-hash", words: 3 }, faults: { script: ["slow_stream"], slow_token_ms: 100 } } } } });
    try {
      const res = postJson(`${local.url}/api/generate`, { model: "m", prompt: "p" });
      for (let i = 0; i < 3; i++) {
        await until(() => clock.pendingSleeps === 1);
        clock.advance(100);
      }
      const lines = await readNdjson(await res);
      expect(lines.at(-1)).toMatchObject({ eval_count: 3, eval_duration: 300 * 1e6 });
    } finally {
      await local.close();
    }
  });
});

describe("fault probabilities are seeded", () => {
  const flaky = (seed: number): Scenario => ({ seed, models: { m: { faults: { probabilities: { http_500: 0.3, http_429: 0.3 } } } } });

  async function statuses(local: MockEngine): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < 30; i++) out.push((await postJson(`${local.url}/api/generate`, { model: "m", prompt: "p", stream: false })).status);
    return out;
  }

  it("the same seed gives the same run; reset replays it; another seed differs", async () => {
    const a = await startMockEngine({ scenario: flaky(1) });
    const b = await startMockEngine({ scenario: flaky(1) });
    const c = await startMockEngine({ scenario: flaky(2) });
    try {
      const first = await statuses(a);
      expect(new Set(first)).toEqual(new Set([200, 429, 500]));
      expect(await statuses(b)).toEqual(first);
      a.reset();
      expect(await statuses(a)).toEqual(first);
      expect(await statuses(c)).not.toEqual(first);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
