import http from "node:http";
import { Code as RpcCode, ConnectError, createClient } from "@connectrpc/connect";
import { LlmPoolService, Task } from "@llm-pool/contract";
import { Code, PoolError } from "@llm-pool/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerFor } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { rpcTransports } from "./transports.js";

const query = { requestId: "dl-1", task: Task.EXPAND_QUERIES, prompt: "slow" };

/** A service that never answers on its own: it fails with the signal's reason. */
function waitForAbort(pool: RunningPool): void {
  pool.service.behaviour = (_q, ctx) =>
    new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
}

describe("transport deadlines and cancellation reach the CallContext", () => {
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool();
  });
  beforeEach(() => {
    pool.service.behaviour = async (q) => answerFor(q);
    pool.service.calls.length = 0;
  });
  afterAll(() => pool.server.close(1_000));

  for (const name of Object.keys(rpcTransports("http://x"))) {
    it(`${name}: the client's timeoutMs arrives as transportTimeoutMs`, async () => {
      const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)[name]!);
      await client.infer({ query }, { timeoutMs: 5_000 });
      const seen = pool.service.calls.at(-1)!.ctx.transportTimeoutMs!;
      expect(seen).toBeGreaterThan(4_000);
      expect(seen).toBeLessThanOrEqual(5_000);
    });
  }

  it("without a transport deadline, transportTimeoutMs is absent", async () => {
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    await client.infer({ query });
    expect(pool.service.calls.at(-1)!.ctx.transportTimeoutMs).toBeUndefined();
  });

  // The deadline header is sent by hand, without a client-side timer, so the
  // server's deadline fires first instead of racing the client's cancel.
  const deadlineHeaders: Record<string, Record<string, string>> = {
    "gRPC (h2c)": { "grpc-timeout": "150m" },
    "gRPC-Web binary (HTTP/1.1)": { "grpc-timeout": "150m" },
    "Connect JSON (HTTP/1.1)": { "connect-timeout-ms": "150" },
  };
  for (const [name, headers] of Object.entries(deadlineHeaders)) {
    it(`${name}: when the transport deadline passes, the signal aborts with deadline_exceeded`, async () => {
      waitForAbort(pool);
      const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)[name]!);
      const error = await client.infer({ query }, { headers }).catch((e: unknown) => ConnectError.from(e));
      expect((error as ConnectError).code).toBe(RpcCode.DeadlineExceeded);
      const reason = await pool.service.calls.at(-1)!.aborted;
      expect(reason).toBeInstanceOf(PoolError);
      expect((reason as PoolError).code).toBe(Code.DeadlineExceeded);
    });
  }

  it("an RPC client that cancels aborts the signal with canceled", async () => {
    waitForAbort(pool);
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    const controller = new AbortController();
    const call = client.infer({ query }, { signal: controller.signal }).catch(() => undefined);
    await expect.poll(() => pool.service.calls.length).toBe(1);
    controller.abort();
    await call;
    const reason = await pool.service.calls[0]!.aborted;
    expect((reason as PoolError).code).toBe(Code.Canceled);
  });

  it("a REST client that disconnects aborts the signal with canceled", async () => {
    waitForAbort(pool);
    const req = http.request(`${pool.baseUrl}/v1/infer`, { method: "POST" });
    req.on("error", () => {});
    req.end(JSON.stringify({ requestId: "dl-rest", task: "TASK_JUDGE", prompt: "x" }));
    await expect.poll(() => pool.service.calls.length).toBe(1);
    req.destroy();
    const reason = await pool.service.calls[0]!.aborted;
    expect(reason).toBeInstanceOf(PoolError);
    expect((reason as PoolError).code).toBe(Code.Canceled);
  });

  it("a REST request has no transport deadline; its signal stays quiet while the client waits", async () => {
    const res = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify({ task: "TASK_JUDGE" }) });
    expect(res.status).toBe(200);
    const call = pool.service.calls.at(-1)!;
    expect(call.ctx.transportTimeoutMs).toBeUndefined();
    expect(call.ctx.signal.aborted).toBe(false);
  });
});
