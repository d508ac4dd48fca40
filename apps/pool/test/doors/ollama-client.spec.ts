import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startDoorsPool, type DoorsPool } from "./doors-fixture.js";

// R-API-7: the official `ollama` npm package, unmodified, pointed at the pool's Ollama-compatible door
// (its own port), against the assembled pool and a mock engine over HTTP.
let doors: DoorsPool;
beforeAll(async () => {
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors.stop());

/** A client sending `key` as its bearer token; null sends no Authorization at all. */
const client = (key: string | null = KEYS.vvtv) =>
  new Ollama({ host: doors.ollamaUrl, ...(key === null ? {} : { headers: { Authorization: `Bearer ${key}` } }) });

const extension = (value: object) => (value as { pool?: Record<string, unknown> }).pool;
const statusOf = (error: unknown) => (error as { status_code?: number }).status_code;

describe("R-API-7 the official ollama client against the Ollama-compatible door", () => {
  it("lists the pool's tasks and profiles as models; the banner and the version answer without a key", async () => {
    const { models } = await client().list();
    expect(models.map((m) => m.name)).toEqual([
      "pool/expand_queries:latest",
      "pool/site_tactics:latest",
      "pool/rerank_candidates:latest",
      "pool/enrich_metadata:latest",
      "pool/QUICK:latest",
    ]);
    expect(models[4]).toMatchObject({ details: { family: "pool" }, pool: { task: "rerank_candidates", strategy: "FASTEST", profile: "QUICK" } });
    expect((await client(null).version()).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await (await fetch(doors.ollamaUrl)).text()).toBe("Ollama is running");
    expect((await fetch(`${doors.ollamaUrl}/api/tags`)).status).toBe(401);
  });

  it("chat, not streamed: one done object with the message, token counts and the decision under `pool`", async () => {
    const response = await client().chat({ model: "pool/expand_queries", messages: [{ role: "user", content: "late night jazz" }], stream: false });
    expect(response.message.role).toBe("assistant");
    expect(response.message.content.split(" ")).toHaveLength(10);
    expect(response).toMatchObject({ model: "pool/expand_queries", done: true, done_reason: "stop", eval_count: 10 });
    expect(response.total_duration).toBeGreaterThan(0);
    expect(extension(response)).toMatchObject({ winnerProvider: "fast", strategyApplied: "STRATEGY_FASTEST" });
  });

  it("chat, streamed: pieces that join to the answer, then the done object", async () => {
    const stream = await client().chat({ model: "pool/expand_queries:latest", messages: [{ role: "user", content: "late night jazz" }], stream: true });
    const pieces: string[] = [];
    let last: Record<string, unknown> | undefined;
    for await (const part of stream) {
      pieces.push(part.message.content);
      last = part as unknown as Record<string, unknown>;
    }
    expect(pieces.join("").split(" ")).toHaveLength(10);
    expect(last).toMatchObject({ done: true, eval_count: 10, pool: { winnerProvider: "fast" } });
  });

  it("generate, streamed and not, with a system part; an empty prompt is a preload, answered at once", async () => {
    const whole = await client().generate({ model: "pool/enrich_metadata", prompt: "Harbor at dawn", system: "be brief", stream: false });
    expect((whole.response ?? "").split(" ")).toHaveLength(10);
    expect(extension(whole)).toMatchObject({ strategyApplied: "STRATEGY_VOTING", decision: { agreement: 1 } });
    const pieces: string[] = [];
    for await (const part of await client().generate({ model: "pool/enrich_metadata", prompt: "Harbor at dawn", system: "be brief", stream: true })) {
      pieces.push(part.response ?? "");
    }
    expect(pieces.join("")).toBe(whole.response);
    const before = doors.engine.record().length;
    const load = await client().generate({ model: "pool/enrich_metadata", prompt: "", stream: false });
    expect(load).toMatchObject({ done: true, done_reason: "load" });
    expect(doors.engine.record()).toHaveLength(before);
  });

  it("format as a JSON Schema: the answer parses and matches it", async () => {
    const schema = { type: "object", properties: { title: { type: "string" } }, required: ["title"] };
    const response = await client().chat({ model: "pool/expand_queries", messages: [{ role: "user", content: "jazz" }], format: schema, stream: false });
    expect(typeof (JSON.parse(response.message.content) as { title: unknown }).title).toBe("string");
  });

  it("no key or a wrong key is a ResponseError 401; the tenant's rate limit is 429; an unknown model 404", async () => {
    const ask = (key: string | null, model = "pool/expand_queries") => client(key).chat({ model, messages: [{ role: "user", content: "x" }], stream: false });
    expect(statusOf(await ask(null).catch((e: unknown) => e))).toBe(401);
    const wrong = await ask("sk-not-a-key").catch((e: unknown) => e);
    expect(wrong).toMatchObject({ name: "ResponseError", status_code: 401, error: "the request is not authenticated" });
    await ask(KEYS.tight);
    expect(statusOf(await ask(KEYS.tight).catch((e: unknown) => e))).toBe(429);
    expect(statusOf(await ask(KEYS.vvtv, "llama3.1:8b").catch((e: unknown) => e))).toBe(404);
  });
});
