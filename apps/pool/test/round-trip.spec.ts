import { fromJson, toJson } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { compressionGzip, createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { AnswerSchema, LlmPoolService, QuerySchema, type Answer } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufCurl } from "./buf-curl.js";
import { answerFor } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { rpcTransports } from "./transports.js";

// Every kind of field the Query has, spelled the proto3 JSON way.
const queryJson = {
  requestId: "rt-1",
  tenantId: "tenant-a",
  projectId: "project-a",
  task: "TASK_EXPAND_QUERIES",
  strategy: "STRATEGY_VOTING",
  prompt: "jazz ao vivo em São Paulo",
  input: { city: "São Paulo", limit: 3, tags: ["jazz", "live"], nested: { ok: true } },
  maxTokens: 128,
  deadlineMs: 900,
  meta: { cache: "no-store", origin: "planner" },
  output: { kind: "OUTPUT_KIND_JSON" },
};
const query = fromJson(QuerySchema, queryJson);
const expected = toJson(AnswerSchema, answerFor(query));

describe("R-API-3: the same Query gives the same Answer on every transport", () => {
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool();
  });
  afterAll(() => pool.server.close(1_000));

  for (const name of Object.keys(rpcTransports("http://x"))) {
    it(`R-API-3: ${name} Infer`, async () => {
      const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)[name]!);
      const { answer } = await client.infer({ query });
      expect(toJson(AnswerSchema, answer!)).toEqual(expected);
      const seen = pool.service.calls.at(-1)!.query;
      expect(toJson(QuerySchema, seen)).toEqual(toJson(QuerySchema, query));
    });
  }

  it("R-API-3: REST POST /v1/infer (lowerCamelCase JSON)", async () => {
    const res = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(queryJson) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("rt-1");
    expect(await res.json()).toEqual(expected);
  });

  it("R-API-3: REST POST /v1/infer accepts snake_case names and returns the same Answer", async () => {
    const snake = toJson(QuerySchema, query, { useProtoFieldName: true });
    expect(snake).toHaveProperty("request_id");
    const res = await fetch(`${pool.baseUrl}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(snake),
    });
    expect(await res.json()).toEqual(expected);
  });

  it("R-API-3: buf curl over gRPC (h2c prior knowledge)", async () => {
    const out = await bufCurl(`${pool.baseUrl}/vvtv.llmpool.v1.LlmPoolService/Infer`, {
      protocol: "grpc",
      data: JSON.stringify({ query: queryJson }),
    });
    expect(out.stderr).toBe("");
    expect(answerOf(JSON.parse(out.stdout))).toEqual(expected);
  });

  it("R-API-3: buf curl over Connect and gRPC-Web (HTTP/1.1)", async () => {
    for (const protocol of ["connect", "grpcweb"] as const) {
      const out = await bufCurl(`${pool.baseUrl}/vvtv.llmpool.v1.LlmPoolService/Infer`, {
        protocol,
        data: JSON.stringify({ query: queryJson }),
      });
      expect(out.stderr).toBe("");
      expect(answerOf(JSON.parse(out.stdout))).toEqual(expected);
    }
  });

  it("R-API-3: gzip-compressed requests are served like plain ones", async () => {
    const long = fromJson(QuerySchema, { ...queryJson, prompt: "jazz ".repeat(400) });
    for (const transport of [
      createGrpcTransport({ baseUrl: pool.baseUrl, sendCompression: compressionGzip }),
      createConnectTransport({ baseUrl: pool.baseUrl, httpVersion: "1.1", useBinaryFormat: true, sendCompression: compressionGzip }),
    ]) {
      const { answer } = await createClient(LlmPoolService, transport).infer({ query: long });
      expect(toJson(AnswerSchema, answer!)).toEqual(toJson(AnswerSchema, answerFor(long)));
    }
  });

  it("InferStream without a streaming service sends the final answer alone", async () => {
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    const events = [];
    for await (const message of client.inferStream({ query })) events.push(message.event);
    expect(events).toHaveLength(1);
    expect(events[0]!.case).toBe("answer");
    expect(toJson(AnswerSchema, events[0]!.value as Answer)).toEqual(expected);
  });

  it("InferStream relays the service's deltas, then the answer, on every transport", async () => {
    pool.service.streams(["jazz", " ao vivo"]);
    try {
      for (const [name, transport] of Object.entries(rpcTransports(pool.baseUrl))) {
        const client = createClient(LlmPoolService, transport);
        const events = [];
        for await (const message of client.inferStream({ query })) events.push(message.event);
        expect(events.map((e) => e.case), name).toEqual(["delta", "delta", "answer"]);
        expect(events[1]!.value).toMatchObject({ provider: "fake-a", text: " ao vivo" });
        expect(toJson(AnswerSchema, events[2]!.value as Answer), name).toEqual(expected);
      }
    } finally {
      delete pool.service.inferStream;
    }
  });
});

/** buf curl prints the response message as proto3 JSON. */
function answerOf(response: { answer: unknown }): unknown {
  return toJson(AnswerSchema, fromJson(AnswerSchema, response.answer as never));
}
