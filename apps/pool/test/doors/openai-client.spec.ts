import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startDoorsPool, type DoorsPool } from "./doors-fixture.js";

// R-API-7: the official `openai` npm package, unmodified, pointed at the pool's OpenAI door, against
// the assembled pool (config, auth, limits, orchestrator, ensemble, drivers) and a mock engine over HTTP.
let doors: DoorsPool;
beforeAll(async () => {
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors.stop());

const client = (apiKey: string = KEYS.vvtv) => new OpenAI({ baseURL: `${doors.url}/v1`, apiKey, maxRetries: 0 });

/** The `pool` extension field of a response, which the client's types do not know. */
const extension = (value: object) => (value as { pool?: Record<string, unknown> }).pool;

describe("R-API-7 the official openai client against the OpenAI-compatible door", () => {
  it("lists the enabled tasks and the profile a task uses as models", async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(["pool/expand_queries", "pool/site_tactics", "pool/rerank_candidates", "pool/enrich_metadata", "pool/QUICK"]);
    expect((await client().models.retrieve("pool/QUICK")).id).toBe("pool/QUICK");
  });

  it("a chat completion: the winner's text as the message, usage, and the ensemble decision under `pool`", async () => {
    const completion = await client().chat.completions.create({
      model: "pool/expand_queries",
      messages: [{ role: "user", content: "late night jazz" }],
      max_tokens: 32,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("pool/expand_queries");
    expect(completion.choices).toHaveLength(1);
    const text = completion.choices[0]!.message.content!;
    expect(text.split(" ")).toHaveLength(10);
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 10, total_tokens: expect.any(Number) });
    const pool = extension(completion)!;
    expect(pool).toMatchObject({ winnerProvider: "fast", strategyApplied: "STRATEGY_FASTEST", tenantId: "vvtv", projectId: "planner" });
    expect(pool["decision"]).toMatchObject({ candidates: [expect.objectContaining({ provider: "fast", status: "CANDIDATE_STATUS_OK" })] });
    expect(completion.id).toBe(`chatcmpl-${pool["requestId"] as string}`);
  });

  it("a streamed chat completion: chunks whose text joins to the answer, the decision in the last chunk, usage when asked", async () => {
    const stream = await client().chat.completions.create({
      model: "pool/expand_queries",
      messages: [{ role: "user", content: "late night jazz" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    const finishes: (string | null)[] = [];
    let decision: Record<string, unknown> | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      for (const choice of chunk.choices) {
        if (choice.delta.content) pieces.push(choice.delta.content);
        finishes.push(choice.finish_reason);
      }
      decision = extension(chunk) ?? decision;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.join("").split(" ")).toHaveLength(10);
    expect(finishes.at(-1)).toBe("stop");
    expect(decision).toMatchObject({ winnerProvider: "fast", strategyApplied: "STRATEGY_FASTEST" });
    expect(usage).toMatchObject({ completion_tokens: 10 });
  });

  it("a JSON-schema response_format: the content parses and matches the schema", async () => {
    const completion = await client().chat.completions.create({
      model: "pool/expand_queries",
      messages: [{ role: "user", content: "jazz" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "queries",
          strict: true,
          schema: { type: "object", properties: { queries: { type: "array", items: { type: "string" } } }, required: ["queries"], additionalProperties: false },
        },
      },
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!) as { queries: unknown };
    expect(Array.isArray(parsed.queries)).toBe(true);
    expect(extension(completion)).toMatchObject({ outputKind: "OUTPUT_KIND_JSON_SCHEMA" });
  });

  it("a profile as the model runs its task with the profile's strategy; the legacy completions route works too", async () => {
    const completion = await client().chat.completions.create({ model: "pool/QUICK", messages: [{ role: "user", content: "a, b" }] });
    expect(extension(completion)).toMatchObject({ task: "TASK_RERANK_CANDIDATES", strategyRequested: "STRATEGY_FASTEST" });
    const legacy = await client().completions.create({ model: "pool/expand_queries", prompt: "late night jazz", max_tokens: 4 });
    expect(legacy.object).toBe("text_completion");
    expect(legacy.choices[0]!.text.split(" ")).toHaveLength(4);
    expect(legacy.choices[0]!.finish_reason).toBe("length");
  });

  it("a wrong key is the client's AuthenticationError (401), in OpenAI's error shape", async () => {
    const error = await client("sk-not-a-key").chat.completions.create({ model: "pool/expand_queries", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ type: "authentication_error", code: "unauthenticated" });
    const listing = await client("sk-not-a-key").models.list().catch((e: unknown) => e);
    expect(listing).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("the tenant's rate limit is the client's RateLimitError (429) with Retry-After, streamed or not", async () => {
    const tight = client(KEYS.tight);
    const ask = (stream: boolean) =>
      tight.chat.completions.create({ model: "pool/expand_queries", messages: [{ role: "user", content: "x" }], ...(stream ? { stream: true as const } : {}) });
    await ask(false);
    for (const stream of [false, true]) {
      const error = await ask(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const refusal = error as InstanceType<typeof OpenAI.RateLimitError>;
      expect(refusal.status).toBe(429);
      expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refusal.error).toMatchObject({ type: "rate_limit_error", code: "resource_exhausted" });
    }
  });

  it("bad input is a BadRequestError naming the parameter; an unknown model is a NotFoundError", async () => {
    const tooMany = await client().chat.completions.create({ model: "pool/expand_queries", messages: [{ role: "user", content: "x" }], max_tokens: 100_000 }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tooMany as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: "max_tokens", code: "invalid_argument" });
    const role = await client().chat.completions.create({ model: "pool/expand_queries", messages: [{ role: "robot" as "user", content: "x" }] }).catch((e: unknown) => e);
    expect((role as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: "messages[0].role" });
    const unknown = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ param: "model" });
  });
});
