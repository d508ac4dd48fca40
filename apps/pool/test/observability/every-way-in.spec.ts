// R-OBS-1..3 for every way into the pool: the native API's Infer and InferStream over gRPC, gRPC-Web
// and Connect, POST /v1/infer whole and as server-sent events, and the OpenAI and Ollama doors
// (R-API-7) streamed and not. Each call is the child span of the client's traceparent, with its
// provider calls under it; /metrics counts it under the api, transport and mode it came by (and
// times the first token of a stream); its log line carries the R-OBS-2 fields and the same three.
import { fromJson } from "@bufbuild/protobuf";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { LlmPoolService, QuerySchema } from "@llm-pool/contract";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, poolToml, startEngine, startTestPool, type MockEngine, type PoolUnderTest } from "../e2e/pool-harness.js";
import { clientTrace } from "./client-trace.js";

let engine: MockEngine;
let pool: PoolUnderTest;
let ollamaUrl: string;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  engine = await startEngine();
  const toml = poolToml(engine.url, "\n[tracing]\nenabled = true\n").replace(
    'listen = "127.0.0.1:0"',
    'listen = "127.0.0.1:0"\nollama_listen = "127.0.0.1:0"\nmetrics_public = true',
  );
  pool = await startTestPool(toml, { spanExporter: exporter });
  ollamaUrl = `http://127.0.0.1:${pool.pool.ollamaPort}`;
}, 60_000);
afterAll(async () => {
  await pool?.stop();
  await engine?.close();
});

/** One way in: how a client calls it with a traceparent and a request id, and the labels it must carry. */
interface WayIn {
  readonly api: "native" | "openai" | "ollama";
  readonly transport: "grpc" | "grpc_web" | "connect" | "http";
  readonly mode: "unary" | "stream";
  /** Sends one query and resolves once the whole answer arrived (its text checked non-empty). */
  call(traceparent: string, requestId: string, prompt: string): Promise<void>;
}

const rpc = (transport: () => Transport, name: WayIn["transport"]): WayIn[] => [
  {
    api: "native",
    transport: name,
    mode: "unary",
    async call(traceparent, requestId, prompt) {
      const client = createClient(LlmPoolService, transport());
      const { answer } = await client.infer({ query: fromJson(QuerySchema, { task: "TASK_EXPAND_QUERIES", prompt, requestId }) }, { headers: { traceparent } });
      expect(answer?.output).not.toBe("");
    },
  },
  {
    api: "native",
    transport: name,
    mode: "stream",
    async call(traceparent, requestId, prompt) {
      const client = createClient(LlmPoolService, transport());
      const kinds: (string | undefined)[] = [];
      for await (const message of client.inferStream({ query: fromJson(QuerySchema, { task: "TASK_EXPAND_QUERIES", prompt, requestId }) }, { headers: { traceparent } })) {
        kinds.push(message.event.case);
      }
      expect(kinds).toContain("delta");
      expect(kinds.at(-1)).toBe("answer");
    },
  },
];

async function post(url: string, traceparent: string, body: Record<string, unknown>, accept = "application/json"): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept, traceparent }, body: JSON.stringify(body) });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return text;
}

/** A door's chat route, whole and streamed: both doors take this body; `answered` checks the response text. */
const doorChat = (api: "openai" | "ollama", url: () => string, answered: (text: string, mode: WayIn["mode"]) => void): WayIn[] =>
  (["unary", "stream"] as const).map((mode) => ({
    api,
    transport: "http",
    mode,
    async call(traceparent, requestId, prompt) {
      const body = { model: "pool/expand_queries", messages: [{ role: "user", content: prompt }], stream: mode === "stream", pool: { request_id: requestId } };
      answered(await post(url(), traceparent, body), mode);
    },
  }));

const WAYS_IN: readonly WayIn[] = [
  ...rpc(() => createGrpcTransport({ baseUrl: pool.url }), "grpc"),
  ...rpc(() => createGrpcWebTransport({ baseUrl: pool.url, httpVersion: "1.1" }), "grpc_web"),
  ...rpc(() => createConnectTransport({ baseUrl: pool.url, httpVersion: "1.1" }), "connect"),
  {
    api: "native",
    transport: "http",
    mode: "unary",
    async call(traceparent, requestId, prompt) {
      expect(JSON.parse(await post(`${pool.url}/v1/infer`, traceparent, { task: "TASK_EXPAND_QUERIES", prompt, requestId }))).toMatchObject({ requestId });
    },
  },
  {
    api: "native",
    transport: "http",
    mode: "stream",
    async call(traceparent, requestId, prompt) {
      const text = await post(`${pool.url}/v1/infer`, traceparent, { task: "TASK_EXPAND_QUERIES", prompt, requestId }, "text/event-stream");
      expect(text).toContain("event: delta");
      expect(text).toContain("event: answer");
    },
  },
  ...doorChat("openai", () => `${pool.url}/v1/chat/completions`, (text, mode) => expect(text).toContain(mode === "stream" ? "data: [DONE]" : '"chat.completion"')),
  ...doorChat("ollama", () => `${ollamaUrl}/api/chat`, (text) => expect(JSON.parse(text.trim().split("\n").at(-1)!)).toMatchObject({ done: true })),
];

const nameOf = (way: WayIn) => `${way.api} ${way.transport} ${way.mode}`;
const traces = new Map<WayIn, { traceId: string; spanId: string; requestId: string }>();

describe("every way in is traced, counted and logged alike (R-OBS-1, R-OBS-2, R-OBS-3)", () => {
  beforeAll(async () => {
    // One call each, one at a time; the prompts differ, so none is answered from the cache.
    for (const [i, way] of WAYS_IN.entries()) {
      const trace = clientTrace();
      const requestId = `way-in-${i}-${way.api}-${way.transport}-${way.mode}`;
      await way.call(trace.traceparent, requestId, `every way in ${i}`);
      traces.set(way, { ...trace, requestId });
    }
  }, 60_000);

  it.each(WAYS_IN.map((way) => [nameOf(way), way] as const))(
    "R-OBS-3 %s: the request span is the child of the client's span, its provider calls its children",
    async (_name, way) => {
      const trace = traces.get(way)!;
      const spansOf = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === trace.traceId);
      await eventually(() => spansOf().some((s) => s.name === "llmpool.infer"));
      const request = spansOf().find((s) => s.name === "llmpool.infer")!;
      expect(request.parentSpanContext?.spanId).toBe(trace.spanId);
      expect(request.attributes).toMatchObject({
        "llmpool.api": way.api,
        "llmpool.transport": way.transport,
        "llmpool.mode": way.mode,
        "llmpool.outcome": "ok",
        "llmpool.request_id": trace.requestId,
        "llmpool.winner_provider": "fast",
      });
      const calls = spansOf().filter((s) => s.name === "llmpool.candidate");
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      // A stream marks when its first token went out; a unary call has none to mark.
      expect(request.events.some((e) => e.name === "llmpool.first_token")).toBe(way.mode === "stream");
    },
  );

  it.each(WAYS_IN.map((way) => [nameOf(way), way] as const))("R-OBS-2 %s: one log line with the request's fields and the way it came in", async (_name, way) => {
    const { requestId } = traces.get(way)!;
    const lines = pool.logs().filter((l) => l.msg === "infer" && l.request_id === requestId);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      request_id: requestId,
      tenant: "default",
      project: "default",
      task: "expand_queries",
      strategy: "FASTEST",
      winner_model: "fast:1b",
      from_cache: false,
      outcome: "ok",
      api: way.api,
      transport: way.transport,
      mode: way.mode,
    });
    expect(typeof line.duration_ms).toBe("number");
    if (way.mode === "stream") {
      expect(typeof line.first_token_ms).toBe("number");
      expect(line.first_token_ms as number).toBeLessThanOrEqual(line.duration_ms as number);
    } else {
      expect(line).not.toHaveProperty("first_token_ms");
    }
  });

  it("R-OBS-1 /metrics counts each call under its api, transport and mode, and times the first token of each stream", async () => {
    const body = await (await fetch(`${pool.url}/metrics`)).text();
    for (const way of WAYS_IN) {
      const labels = `tenant="default",project="default",task="expand_queries",strategy="FASTEST"`;
      const entry = `api="${way.api}",transport="${way.transport}"`;
      expect(body, nameOf(way)).toMatch(new RegExp(`^llmpool_requests_total\\{${labels},${entry},mode="${way.mode}",code="ok"\\} 1$`, "m"));
      expect(body, nameOf(way)).toMatch(new RegExp(`^llmpool_infer_duration_ms_count\\{${labels},provider="fast",${entry},mode="${way.mode}"\\} 1$`, "m"));
      // One first token per api and transport: each served a unary call too, which has none.
      expect(body, nameOf(way)).toMatch(new RegExp(`^llmpool_time_to_first_token_ms_count\\{${labels},provider="fast",${entry}\\} 1$`, "m"));
    }
  });

  it("R-OBS-3 a client that leaves mid-stream: the span under its traceparent ends canceled, and the log line says so", async () => {
    const trace = clientTrace();
    const requestId = "way-in-left-mid-stream";
    const client = new AbortController();
    const response = await fetch(`${pool.url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", traceparent: trace.traceparent },
      // The slow model writes its answer over 800 ms: the client leaves after the first piece.
      body: JSON.stringify({ task: "TASK_RECOVERY_PLAN", prompt: "leave early", requestId }),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    let seen = "";
    while (!seen.includes("event: delta")) seen += new TextDecoder().decode((await reader.read()).value);
    client.abort();
    const spansOf = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === trace.traceId);
    await eventually(() => spansOf().some((s) => s.name === "llmpool.infer"));
    const request = spansOf().find((s) => s.name === "llmpool.infer")!;
    expect(request.parentSpanContext?.spanId).toBe(trace.spanId);
    expect(request.attributes).toMatchObject({ "llmpool.mode": "stream", "llmpool.outcome": "canceled" });
    await eventually(() => pool.logs().some((l) => l.msg === "infer" && l.request_id === requestId));
    expect(pool.logs().find((l) => l.request_id === requestId)).toMatchObject({ outcome: "canceled", mode: "stream", api: "native", first_token_ms: expect.any(Number) });
  });
});
