import { describe, expect, inject, it } from "vitest";
import { createLlmPoolClient, LlmPoolError, Strategy, Task, type Answer, type ClientOptions } from "../src/index.js";

const pool = inject("pool");
const hmac = (key: "vvtv" | "vvtv_b" | "tight" = "vvtv") => ({ keyId: pool.keys[key].key_id, secret: pool.keys[key].secret });
const client = (options: ClientOptions = {}) => createLlmPoolClient({ baseUrl: pool.pool_url, hmac: hmac(), ...options });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("resolved"), (e: unknown) => e as LlmPoolError);

/** Sleeps for real and remembers for how long. */
function recordingSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms: number) => (sleeps.push(ms), new Promise<void>((r) => setTimeout(r, ms))) };
}

async function engineCalls(): Promise<number> {
  const record = (await (await fetch(`${pool.engine_url}/__mock/record`)).json()) as { entries: { route: string; prompt?: unknown }[] };
  return record.entries.filter((e) => e.route === "/api/chat" && e.prompt).length;
}

describe("the TypeScript client against the real pool (R-SDK-1, R-SDK-4)", () => {
  it.each([
    ["Connect binary", {}],
    ["Connect JSON", { binary: false }],
    ["gRPC-Web", { protocol: "grpc-web" as const }],
    ["key B", { hmac: hmac("vvtv_b") }],
  ])("infer() signed over %s returns the task's JSON", async (_, options) => {
    const answer = await client(options).infer({ task: Task.EXPAND_QUERIES, prompt: "jazz ao vivo", deadlineMs: 2000 });
    expect(answer.winnerProvider).toBe("fast");
    expect(answer.tenantId).toBe("vvtv");
    expect(Object.keys(JSON.parse(answer.output))).toEqual(expect.arrayContaining(["must_include", "optional", "negatives"]));
  });

  it("structured input, project and strategy reach the pool", async () => {
    const answer = await client().infer({ task: Task.RERANK_CANDIDATES, input: { slot: "night", candidates: ["a", "b"] }, projectId: "curator", strategy: Strategy.FASTEST });
    expect(answer.projectId).toBe("curator");
    expect(JSON.parse(answer.output)).toHaveProperty("ranking");
  });

  it("a JWT authenticates and the token's project is used", async () => {
    const answer = await createLlmPoolClient({ baseUrl: pool.pool_url, token: async () => pool.jwt }).infer({ task: Task.JUDGE, prompt: "pick one" });
    expect(answer.projectId).toBe("curator");
  });

  it("a wrong secret is an unauthenticated error and is not retried", async () => {
    const { sleeps, sleep } = recordingSleep();
    const error = await failure(client({ hmac: { keyId: "vvtv-a", secret: "x".repeat(64) }, sleep }).infer({ task: Task.JUDGE, prompt: "x", requestId: "auth-1" }));
    expect(error).toBeInstanceOf(LlmPoolError);
    expect(error.code).toBe("unauthenticated");
    expect(sleeps).toEqual([]);
  });

  it("a bad argument is invalid_argument naming the field", async () => {
    const error = await failure(client().infer({ task: Task.EXPAND_QUERIES, prompt: "x", deadlineMs: 60_000 }));
    expect(error.code).toBe("invalid_argument");
    expect(error.field).toBe("deadline_ms");
  });

  it("over the rate limit: resource_exhausted carrying Retry-After", async () => {
    const tight = client({ hmac: hmac("tight"), retry: { maxRetries: 0 } });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => tight.infer({ task: Task.JUDGE, prompt: "x" })));
    const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as LlmPoolError] : []));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const e of errors) expect([e.code, e.retryAfterS]).toEqual(["resource_exhausted", 1]);
  });

  it("a 429 is retried after the server's Retry-After, signed again", async () => {
    const { sleeps, sleep } = recordingSleep();
    const tight = client({ hmac: hmac("tight"), sleep });
    await tight.infer({ task: Task.JUDGE, prompt: "x" });
    await tight.infer({ task: Task.JUDGE, prompt: "x" });
    expect(sleeps).toContain(1000);
  });

  it("a deadline the engine cannot meet is deadline_exceeded, not retried without a request_id", async () => {
    const { sleeps, sleep } = recordingSleep();
    const error = await failure(client({ sleep }).infer({ task: Task.SITE_TACTICS, prompt: "feira livre", deadlineMs: 300 }));
    expect(error.code).toBe("deadline_exceeded");
    expect(sleeps).toEqual([]);
  });

  it("a lost answer is retried with the same request_id: fresh nonce, one engine call, the first answer", async () => {
    const nonces: string[] = [];
    let first: Response | undefined;
    const losingFetch = async (input: string, init?: RequestInit) => {
      nonces.push(new Headers(init?.headers).get("x-nonce")!);
      const response = await fetch(input, init);
      if (first) return response;
      first = response.clone();
      return new Response(JSON.stringify({ code: "unavailable", message: "lost" }), { status: 503, headers: { "content-type": "application/json" } });
    };
    const before = await engineCalls();
    const answer = await client({ fetch: losingFetch, sleep: async () => {} }).infer({ task: Task.EXPAND_QUERIES, prompt: `lost ${Math.random()}`, requestId: `lost-${Date.now()}` });
    expect(nonces).toHaveLength(2);
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(await engineCalls()).toBe(before + 1);
    expect(first!.status).toBe(200);
    expect(answer.output).toBeTruthy();
  });

  it.each([
    ["Connect binary", {}],
    ["gRPC-Web", { protocol: "grpc-web" as const }],
  ])("inferStream() over %s: the winner's tokens as deltas that join to the output, then the Answer (R-API-6)", async (_, options) => {
    const deltas: string[] = [];
    let answer: Answer | undefined;
    for await (const message of client(options).inferStream({ task: Task.EXPAND_QUERIES, prompt: "stream me" })) {
      expect(answer, "nothing after the answer").toBeUndefined();
      if (message.event.case === "delta") deltas.push(message.event.value.text);
      if (message.event.case === "answer") answer = message.event.value;
    }
    expect(answer?.winnerProvider).toBe("fast");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe(answer!.output);
  });

  it("inferStream() refused: an LlmPoolError with the code and field, as infer() throws", async () => {
    const stream = client().inferStream({ task: Task.EXPAND_QUERIES, prompt: "x", deadlineMs: 60_000 });
    const error = await failure((async () => {
      for await (const message of stream) void message;
    })());
    expect(error).toBeInstanceOf(LlmPoolError);
    expect(error.code).toBe("invalid_argument");
    expect(error.field).toBe("deadline_ms");
  });

  it("bad client options throw a TypeError naming the option", () => {
    expect(() => createLlmPoolClient({ hmac: { keyId: "k", secret: "short" } })).toThrow(/hmac.secret/);
    expect(() => createLlmPoolClient({ baseUrl: "ftp://x" })).toThrow(/baseUrl/);
    expect(() => createLlmPoolClient({ backend: "cloud" as "pool" })).toThrow(/backend/);
    expect(() => createLlmPoolClient({ backend: "local" })).toThrow(/local/);
    expect(() => createLlmPoolClient({ retry: { maxRetries: -1 } })).toThrow(/maxRetries/);
  });
});
