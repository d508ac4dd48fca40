import http from "node:http";
import type { AddressInfo } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLlmPoolClient, InferResponseSchema, LlmPoolError, RetryPolicy, Task } from "../src/index.js";

/** A real HTTP server speaking just enough Connect to fail on purpose, from a script. */
type Reply = { status: number; code?: string; headers?: Record<string, string> } | "answer" | "drop";
let script: Reply[] = [];
let seen: http.IncomingHttpHeaders[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume().on("end", () => {
      seen.push(req.headers);
      const reply = script.shift() ?? "answer";
      if (reply === "drop") return void req.socket.destroy();
      if (reply === "answer") {
        const body = toBinary(InferResponseSchema, create(InferResponseSchema, { answer: { output: "ok", winnerProvider: "fake" } }));
        return void res.writeHead(200, { "content-type": "application/proto" }).end(body);
      }
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(JSON.stringify({ code: reply.code, message: "scripted" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  script = [];
  seen = [];
});

const sleeps: number[] = [];
const client = (retry: ConstructorParameters<typeof RetryPolicy>[0] = {}) => {
  sleeps.length = 0;
  return createLlmPoolClient({ baseUrl, hmac: { keyId: "vvtv-a", secret: "k".repeat(40) }, retry: { random: () => 0.5, ...retry }, sleep: async (ms) => void sleeps.push(ms) });
};
const unavailable: Reply = { status: 503, code: "unavailable" };
const query = { task: Task.EXPAND_QUERIES, prompt: "gatos" };

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as LlmPoolError);

describe("retries against a server that fails on purpose (R-SDK-1)", () => {
  it("unavailable is retried with exponential backoff and jitter, each attempt signed with a fresh nonce", async () => {
    script = [unavailable, unavailable, "answer"];
    expect((await client().infer(query)).winnerProvider).toBe("fake");
    expect(sleeps).toEqual([250 * 0.875, 500 * 0.875]);
    expect(new Set(seen.map((h) => h["x-nonce"])).size).toBe(3);
    expect(new Set(seen.map((h) => h["x-signature"])).size).toBe(3);
  });

  it("gives up after maxRetries with the last error", async () => {
    script = [unavailable, unavailable, unavailable];
    expect((await failure(client({ maxRetries: 1 }).infer(query))).code).toBe("unavailable");
    expect(seen).toHaveLength(2);
  });

  it("a 429 waits the server's Retry-After; one above maxRetryAfterS is thrown at once with its value", async () => {
    script = [{ status: 429, code: "resource_exhausted", headers: { "retry-after": "2" } }, "answer"];
    await client().infer(query);
    expect(sleeps).toEqual([2000]);
    script = [{ status: 429, code: "resource_exhausted", headers: { "retry-after": "30" } }];
    const error = await failure(client({ maxRetryAfterS: 5 }).infer(query));
    expect([error.code, error.retryAfterS, sleeps]).toEqual(["resource_exhausted", 30, []]);
  });

  it("deadline_exceeded and a dropped connection are retried only for a query with a request_id", async () => {
    script = [{ status: 504, code: "deadline_exceeded" }];
    expect((await failure(client().infer(query))).code).toBe("deadline_exceeded");
    script = ["drop"];
    expect((await failure(client().infer(query))).code).toBe("connection");
    expect(seen).toHaveLength(2);
    script = [{ status: 504, code: "deadline_exceeded" }, "drop", "answer"];
    expect((await client().infer({ ...query, requestId: "job-7" })).output).toBe("ok");
  });

  it.each([
    [400, "invalid_argument"],
    [401, "unauthenticated"],
    [403, "permission_denied"],
    [409, "aborted"],
  ])("HTTP %i (%s) is never retried", async (status, code) => {
    script = [{ status, code }];
    const error = await failure(client().infer({ ...query, requestId: "job-9" }));
    expect(error).toBeInstanceOf(LlmPoolError);
    expect(seen).toHaveLength(1);
  });
});
