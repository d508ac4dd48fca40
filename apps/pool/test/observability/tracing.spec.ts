// R-OBS-3 on the assembled pool: a client's traceparent is continued over REST and gRPC, and the
// provider calls of the request are spans under the request's span, exported in memory or over
// OTLP/HTTP to a collector as `[tracing]` says.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { LlmPoolService, QuerySchema, Task } from "@llm-pool/contract";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, poolToml, startEngine, startTestPool, type MockEngine, type PoolUnderTest } from "../e2e/pool-harness.js";
import { clientTrace } from "./client-trace.js";

const TRACING_ON = `
[tracing]
enabled = true
`;

let engine: MockEngine;
let pool: PoolUnderTest;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  engine = await startEngine();
  pool = await startTestPool(poolToml(engine.url, TRACING_ON), { spanExporter: exporter });
});
afterAll(async () => {
  await pool?.stop();
  await engine?.close();
});

function spansOf(traceId: string) {
  return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
}

describe("a client's traceparent is continued (R-OBS-3)", () => {
  it("over REST: the request span is the client span's child, each provider call the request span's child", async () => {
    const trace = clientTrace();
    const response = await fetch(`${pool.url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: trace.traceparent },
      body: JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt: "secret prompt over rest", meta: { cache: "no-store" } }),
    });
    expect(response.status).toBe(200);
    await eventually(() => spansOf(trace.traceId).some((s) => s.name === "llmpool.infer"));
    const spans = spansOf(trace.traceId);
    const request = spans.find((s) => s.name === "llmpool.infer")!;
    expect(request.parentSpanContext?.spanId).toBe(trace.spanId);
    expect(request.attributes).toMatchObject({ "llmpool.task": "expand_queries", "llmpool.outcome": "ok", "llmpool.winner_provider": "fast" });
    const calls = spans.filter((s) => s.name === "llmpool.candidate");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(calls[0]!.attributes).toMatchObject({ "llmpool.provider": "fast", "gen_ai.request.model": "fast:1b", "llmpool.status": "ok" });
    expect(calls[0]!.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    // No prompt text unless [tracing] include_prompts = true.
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain("secret prompt");
  });

  it("over gRPC: the same parent and children", async () => {
    const trace = clientTrace();
    const client = createClient(LlmPoolService, createGrpcTransport({ baseUrl: pool.url }));
    await client.infer(
      { query: create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "over grpc", meta: { cache: "no-store" } }) },
      { headers: { traceparent: trace.traceparent } },
    );
    await eventually(() => spansOf(trace.traceId).some((s) => s.name === "llmpool.infer"));
    const spans = spansOf(trace.traceId);
    const request = spans.find((s) => s.name === "llmpool.infer")!;
    expect(request.parentSpanContext?.spanId).toBe(trace.spanId);
    expect(spans.filter((s) => s.name === "llmpool.candidate").every((s) => s.parentSpanContext?.spanId === request.spanContext().spanId)).toBe(true);
  });
});

describe("[tracing] exports over OTLP/HTTP (R-OBS-3)", () => {
  it("posts the request's spans to otlp_endpoint with the client's trace id", async () => {
    const bodies: string[] = [];
    const collector: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        if (req.url === "/v1/traces") bodies.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const port = (collector.address() as AddressInfo).port;
    const otlp = await startTestPool(poolToml(engine.url, `${TRACING_ON}otlp_endpoint = "http://127.0.0.1:${port}/v1/traces"\nservice_name = "pool-under-test"\n`));
    try {
      const trace = clientTrace();
      const response = await fetch(`${otlp.url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", traceparent: trace.traceparent },
        body: JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt: "to the collector" }),
      });
      expect(response.status).toBe(200);
      await otlp.stop(); // flushes the batch
      const exported = bodies.join("\n");
      expect(exported).toContain("pool-under-test");
      expect(exported.toLowerCase()).toContain(trace.traceId);
      expect(exported).toContain("llmpool.infer");
      expect(exported).toContain("llmpool.candidate");
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
