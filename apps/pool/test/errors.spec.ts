import { create, toBinary } from "@bufbuild/protobuf";
import { Code as RpcCode, ConnectError, createClient } from "@connectrpc/connect";
import { ErrorDetailSchema, InferRequestSchema, LlmPoolService, Task } from "@llm-pool/contract";
import { Code, PoolError, invalidArgument } from "@llm-pool/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { httpStatusOf, rpcCodeOf } from "../src/index.js";
import { bufCurl } from "./buf-curl.js";
import { answerFor } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { envelope, grpcWebTrailers, rawGrpc } from "./raw-rpc.js";
import { rpcTransports } from "./transports.js";

const MAX_BODY = 4_096;
const query = { requestId: "err-1", task: Task.JUDGE, prompt: "pick one" };
const inferPath = "/vvtv.llmpool.v1.LlmPoolService/Infer";

async function rpcError(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

async function restError(pool: RunningPool, body: RequestInit["body"], init: RequestInit = {}) {
  const res = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body, ...init });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("R-API-4: errors map once per edge, with a machine code, the field and the request id", () => {
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool({ maxBodyBytes: MAX_BODY });
  });
  beforeEach(() => {
    pool.service.behaviour = async (q) => answerFor(q);
    pool.errors.length = 0;
  });
  afterAll(() => pool.server.close(1_000));

  for (const name of Object.keys(rpcTransports("http://x"))) {
    it(`R-API-4: a PoolError from the service reaches ${name} with its code and ErrorDetail`, async () => {
      pool.service.behaviour = async () => {
        throw invalidArgument("deadline_ms", "1600 is above max_deadline_ms 1500").withRequestId("err-1");
      };
      const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)[name]!);
      const error = await rpcError(client.infer({ query }));
      expect(error.code).toBe(RpcCode.InvalidArgument);
      expect(error.rawMessage).toBe("deadline_ms: 1600 is above max_deadline_ms 1500");
      expect(error.findDetails(ErrorDetailSchema)).toEqual([
        expect.objectContaining({ code: "invalid_argument", field: "deadline_ms", requestId: "err-1" }),
      ]);
    });
  }

  it("R-API-4: every pool code has its gRPC code and HTTP status on the wire", async () => {
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    for (const code of Object.values(Code)) {
      pool.service.behaviour = async () => {
        throw new PoolError(code, `failed with ${code}`);
      };
      const error = await rpcError(client.infer({ query }));
      expect(error.code, code).toBe(rpcCodeOf[code]);
      expect(error.findDetails(ErrorDetailSchema)[0]).toMatchObject({ code, requestId: "err-1" });
      const rest = await restError(pool, JSON.stringify(query));
      expect(rest.status, code).toBe(httpStatusOf[code]);
      expect(rest.body).toEqual({ code, message: `failed with ${code}`, request_id: "err-1" });
      expect(rest.headers.get("x-request-id")).toBe("err-1");
    }
  });

  it("R-API-4: the table matches the spec (400, 401, 403, 409, 429, 413, 503, 504, 499, 404, 500)", () => {
    expect(httpStatusOf).toEqual({
      invalid_argument: 400,
      unauthenticated: 401,
      permission_denied: 403,
      conflict: 409,
      resource_exhausted: 429,
      payload_too_large: 413,
      unavailable: 503,
      deadline_exceeded: 504,
      canceled: 499,
      not_found: 404,
      internal: 500,
    });
    expect(rpcCodeOf).toEqual({
      invalid_argument: RpcCode.InvalidArgument,
      unauthenticated: RpcCode.Unauthenticated,
      permission_denied: RpcCode.PermissionDenied,
      conflict: RpcCode.Aborted,
      resource_exhausted: RpcCode.ResourceExhausted,
      payload_too_large: RpcCode.ResourceExhausted,
      unavailable: RpcCode.Unavailable,
      deadline_exceeded: RpcCode.DeadlineExceeded,
      canceled: RpcCode.Canceled,
      not_found: RpcCode.NotFound,
      internal: RpcCode.Internal,
    });
  });

  it("R-API-4: REST error bodies carry the field", async () => {
    pool.service.behaviour = async () => {
      throw invalidArgument("max_tokens", "4096 is above the cap 1024");
    };
    const rest = await restError(pool, JSON.stringify(query));
    expect(rest).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", message: "max_tokens: 4096 is above the cap 1024", field: "max_tokens", request_id: "err-1" },
    });
  });

  it("R-API-4: a generic Error is internal with a generic message; the original never leaks", async () => {
    pool.service.behaviour = async () => {
      throw new Error("ECONNREFUSED redis://admin:hunter2@10.0.0.7");
    };
    for (const transport of Object.values(rpcTransports(pool.baseUrl))) {
      const error = await rpcError(createClient(LlmPoolService, transport).infer({ query }));
      expect(error.code).toBe(RpcCode.Internal);
      expect(error.rawMessage).toBe("internal error");
      expect(JSON.stringify(error)).not.toContain("hunter2");
    }
    const res = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(query) });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ code: "internal", message: "internal error", request_id: "err-1" });
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("at ");
    const curl = await bufCurl(`${pool.baseUrl}${inferPath}`, { protocol: "grpc", data: JSON.stringify({ query }) });
    expect(curl.stderr).toContain("internal error");
    expect(curl.stderr).not.toContain("hunter2");
    // The cause is logged, server side.
    expect(String((pool.errors[0] as Error).message)).toContain("hunter2");
  });

  it("R-API-4: an InferRequest without a query is invalid_argument on field query", async () => {
    const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["Connect JSON (HTTP/1.1)"]!);
    const error = await rpcError(client.infer({}));
    expect(error.code).toBe(RpcCode.InvalidArgument);
    expect(error.findDetails(ErrorDetailSchema)[0]).toMatchObject({ code: "invalid_argument", field: "query" });
  });

  describe("malformed bodies", () => {
    it("R-API-4: REST malformed JSON is 400 invalid_argument on field body", async () => {
      const rest = await restError(pool, '{"task": "TASK_JUDGE",');
      expect(rest.status).toBe(400);
      expect(rest.body).toMatchObject({ code: "invalid_argument", field: "body", request_id: "" });
      expect(rest.body.message).toMatch(/^body: malformed JSON: /);
      expect(pool.service.calls.at(-1)?.query.requestId).not.toBe("bad");
    });

    it("R-API-4: REST unknown task name and unknown field are refused, naming them", async () => {
      const badTask = await restError(pool, JSON.stringify({ task: "TASK_DANCE", prompt: "x" }));
      expect(badTask).toMatchObject({
        status: 400,
        body: { code: "invalid_argument", field: "task", message: 'task: unknown value "TASK_DANCE"' },
      });
      const badKind = await restError(pool, JSON.stringify({ task: "TASK_JUDGE", output: { kind: "YAML" } }));
      expect(badKind.body).toMatchObject({ field: "output.kind", message: 'output.kind: unknown value "YAML"' });
      const badField = await restError(pool, JSON.stringify({ task: "TASK_JUDGE", promt: "x" }));
      expect(badField).toMatchObject({ status: 400, body: { field: "body", message: 'body: unknown field "promt"' } });
    });

    it("R-API-4: REST body that is not UTF-8 is refused", async () => {
      const rest = await restError(pool, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
      expect(rest).toMatchObject({ status: 400, body: { code: "invalid_argument", message: "body: not valid UTF-8" } });
    });

    it("R-API-4: Connect JSON names the field of an unknown enum name", async () => {
      const res = await fetch(`${pool.baseUrl}${inferPath}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: { task: "TASK_DANCE" } }),
      });
      expect(await res.json()).toMatchObject({ code: "invalid_argument", message: 'query.task: unknown value "TASK_DANCE"' });
    });

    it("R-API-4: Connect JSON malformed body is invalid_argument with an ErrorDetail", async () => {
      const res = await fetch(`${pool.baseUrl}${inferPath}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"query": {"task": ',
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string; details: unknown[] };
      expect(body.code).toBe("invalid_argument");
      expect(body.message).toMatch(/^body: malformed JSON: /);
      expect(body.details).toHaveLength(1);
    });

    it("R-API-4: Connect binary malformed protobuf is invalid_argument, not internal", async () => {
      const res = await fetch(`${pool.baseUrl}${inferPath}`, {
        method: "POST",
        headers: { "content-type": "application/proto" },
        body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe("invalid_argument");
      expect(body.message).toMatch(/^body: malformed protobuf: /);
    });

    it("R-API-4: gRPC malformed protobuf is INVALID_ARGUMENT (3), not INTERNAL", async () => {
      const out = await rawGrpc(pool.baseUrl, inferPath, envelope(new Uint8Array([0x0a, 0x05, 0x01])));
      expect(out.status).toBe("3");
      expect(out.message).toMatch(/^body: malformed protobuf: /);
      const truncated = await rawGrpc(pool.baseUrl, inferPath, envelope(new Uint8Array([1, 2, 3])).subarray(0, 6));
      expect(truncated).toEqual({ status: "3", message: "body: truncated message envelope" });
    });

    it("R-API-4: gRPC-Web malformed protobuf is INVALID_ARGUMENT in the trailer frame", async () => {
      const res = await fetch(`${pool.baseUrl}${inferPath}`, {
        method: "POST",
        headers: { "content-type": "application/grpc-web+proto" },
        body: envelope(new Uint8Array([0x0a, 0x05, 0x01])),
      });
      const trailers = grpcWebTrailers(new Uint8Array(await res.arrayBuffer()));
      expect(trailers["grpc-status"]).toBe("3");
      expect(decodeURIComponent(trailers["grpc-message"]!)).toMatch(/^body: malformed protobuf: /);
    });
  });

  describe("body limit", () => {
    const big = { ...query, prompt: "x".repeat(MAX_BODY + 1) };

    it("R-API-4: an oversize REST body is 413 payload_too_large, declared or streamed", async () => {
      const declared = await restError(pool, JSON.stringify(big));
      expect(declared).toMatchObject({
        status: 413,
        body: { code: "payload_too_large", field: "body", message: `body: larger than the limit of ${MAX_BODY} bytes` },
      });
      const chunks = [JSON.stringify(big).slice(0, 3_000), JSON.stringify(big).slice(3_000)];
      const streamed = await restError(
        pool,
        new ReadableStream({
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(next));
          },
        }),
        { duplex: "half" } as RequestInit,
      );
      expect(streamed.status).toBe(413);
      expect(streamed.body.code).toBe("payload_too_large");
    });

    for (const name of ["gRPC (h2c)", "gRPC-Web binary (HTTP/1.1)", "Connect JSON (HTTP/1.1)", "Connect binary (h2c)"]) {
      it(`R-API-4: an oversize ${name} request is RESOURCE_EXHAUSTED with payload_too_large`, async () => {
        const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)[name]!);
        const error = await rpcError(client.infer({ query: big }));
        expect(error.code).toBe(RpcCode.ResourceExhausted);
        expect(error.rawMessage).toBe(`body: larger than the limit of ${MAX_BODY} bytes`);
        expect(error.findDetails(ErrorDetailSchema)[0]).toMatchObject({ code: "payload_too_large", field: "body" });
      });
    }

    it("a request just under the limit passes", async () => {
      const fits = { ...query, prompt: "x".repeat(MAX_BODY - 100) };
      expect(toBinary(InferRequestSchema, create(InferRequestSchema, { query: fits })).byteLength).toBeLessThan(MAX_BODY);
      const client = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
      await expect(client.infer({ query: fits })).resolves.toBeTruthy();
    });
  });

  describe("routes", () => {
    it("an unknown route is 404 with the error body", async () => {
      const res = await fetch(`${pool.baseUrl}/v2/nothing`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ code: "not_found", message: "no route for GET /v2/nothing", request_id: "" });
    });

    it("a wrong method on a known route is 405 with Allow", async () => {
      const res = await fetch(`${pool.baseUrl}/v1/infer`);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(await res.json()).toMatchObject({ code: "not_found" });
    });

    it("an unknown RPC method is UNIMPLEMENTED on gRPC, gRPC-Web and Connect", async () => {
      const out = await rawGrpc(pool.baseUrl, "/vvtv.llmpool.v1.LlmPoolService/Nope", envelope(new Uint8Array()));
      expect(out).toEqual({ status: "12", message: "no RPC method /vvtv.llmpool.v1.LlmPoolService/Nope" });
      for (const protocol of ["grpcweb", "connect"] as const) {
        const curl = await bufCurl(`${pool.baseUrl}/absent.v1.AbsentService/Nope`, {
          protocol,
          data: "{}",
          schema: `${import.meta.dirname}/fixtures/absent`,
        });
        expect(curl.stderr, protocol).toContain("unimplemented");
      }
    });
  });
});
