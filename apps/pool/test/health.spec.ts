import { Code as RpcCode, ConnectError, createClient } from "@connectrpc/connect";
import { LlmPoolService, ServingStatus } from "@llm-pool/contract";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GrpcHealthService, HealthCheckResponse_ServingStatus as Status } from "../src/index.js";
import { bufCurl } from "./buf-curl.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { rpcTransports } from "./transports.js";

const healthSchema = `${import.meta.dirname}/fixtures/grpc`;
const notReady = { ready: false, reasons: ["no provider is usable"] };

describe("R-API-2: health on every transport", () => {
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool({}, { healthWatchIntervalMs: 20 });
  });
  beforeEach(() => {
    pool.service.ready = { ready: true, reasons: [] };
  });
  afterAll(() => pool.server.close(1_000));

  it("R-API-2: grpc.health.v1 Check follows readiness, for the server and for LlmPoolService", async () => {
    const client = createClient(GrpcHealthService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    for (const service of ["", "vvtv.llmpool.v1.LlmPoolService"]) {
      pool.service.ready = { ready: true, reasons: [] };
      expect((await client.check({ service })).status).toBe(Status.SERVING);
      pool.service.ready = notReady;
      expect((await client.check({ service })).status).toBe(Status.NOT_SERVING);
    }
  });

  it("R-API-2: grpc.health.v1 Check through buf curl (independent client and schema)", async () => {
    const url = `${pool.baseUrl}/grpc.health.v1.Health/Check`;
    const serving = await bufCurl(url, { protocol: "grpc", data: '{"service": ""}', schema: healthSchema });
    expect(serving.stderr).toBe("");
    expect(JSON.parse(serving.stdout)).toEqual({ status: "SERVING" });
    pool.service.ready = notReady;
    const notServing = await bufCurl(url, { protocol: "grpc", data: "{}", schema: healthSchema });
    expect(JSON.parse(notServing.stdout)).toEqual({ status: "NOT_SERVING" });
  });

  it("grpc.health.v1 Check of an unknown service is NOT_FOUND", async () => {
    const client = createClient(GrpcHealthService, rpcTransports(pool.baseUrl)["Connect JSON (HTTP/1.1)"]!);
    const error = await client.check({ service: "other.v1.Thing" }).catch((e: unknown) => ConnectError.from(e));
    expect((error as ConnectError).code).toBe(RpcCode.NotFound);
  });

  it("grpc.health.v1 Watch sends the status, then each change", async () => {
    const client = createClient(GrpcHealthService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    const controller = new AbortController();
    const seen: Status[] = [];
    const stream = client.watch({ service: "" }, { signal: controller.signal });
    const done = (async () => {
      try {
        for await (const { status } of stream) {
          seen.push(status);
          if (seen.length === 1) pool.service.ready = notReady;
          if (seen.length === 2) pool.service.ready = { ready: true, reasons: [] };
          if (seen.length === 3) controller.abort();
        }
      } catch {
        // cancelled by us
      }
    })();
    await done;
    expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING, Status.SERVING]);
  });

  it("grpc.health.v1 Watch of an unknown service says SERVICE_UNKNOWN", async () => {
    const controller = new AbortController();
    const client = createClient(GrpcHealthService, rpcTransports(pool.baseUrl)["Connect binary (h2c)"]!);
    const first = await client.watch({ service: "nope" }, { signal: controller.signal })[Symbol.asyncIterator]().next();
    controller.abort();
    expect(first.value).toMatchObject({ status: Status.SERVICE_UNKNOWN });
  });

  it("LlmPoolService.Health returns the service's report", async () => {
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["Connect JSON (HTTP/1.1)"]!);
    const health = await client.health({});
    expect(health.status).toBe(ServingStatus.SERVING);
    expect(health.configVersion).toBe("0123456789abcdef");
  });

  it("R-API-2: GET /healthz is 200 while the process is up, ready or not", async () => {
    pool.service.ready = notReady;
    const res = await fetch(`${pool.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect((await fetch(`${pool.baseUrl}/healthz`, { method: "HEAD" })).status).toBe(200);
  });

  it("R-API-2: GET /readyz is 200 when ready, 503 when not; the reasons stay inside (they may name providers)", async () => {
    const ready = await fetch(`${pool.baseUrl}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
    pool.service.ready = notReady;
    const notYet = await fetch(`${pool.baseUrl}/readyz`);
    expect([notYet.status, await notYet.json()]).toEqual([503, { ready: false }]);
  });

  it("R-API-2: GET /metrics is 404 when no metrics are wired", async () => {
    const res = await fetch(`${pool.baseUrl}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
  });
});

describe("R-API-2: GET /metrics with a metrics source", () => {
  it("R-API-2: serves the source's text and content type", async () => {
    const pool = await startPool(
      {},
      {
        metrics: async () => ({
          contentType: "text/plain; version=0.0.4; charset=utf-8",
          body: "# TYPE llmpool_up gauge\nllmpool_up 1\n",
        }),
      },
    );
    try {
      const res = await fetch(`${pool.baseUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(await res.text()).toBe("# TYPE llmpool_up gauge\nllmpool_up 1\n");
    } finally {
      await pool.server.close(1_000);
    }
  });
});
