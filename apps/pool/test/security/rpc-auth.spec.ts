import { toBinary } from "@bufbuild/protobuf";
import { Code as RpcCode, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { InferRequestSchema, LlmPoolService, type InferRequest } from "@llm-pool/contract";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GrpcHealthService, HealthCheckResponse_ServingStatus } from "../../src/index.js";
import {
  envelope,
  grpcExchange,
  hmacInterceptor,
  INFER_PATH,
  inferRequest,
  SECRET_B,
  signedHeaders,
  startSecuredPool,
  tenancyConfig,
  type SecuredPool,
} from "./security-fixture.js";

async function rpcError(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

describe("RPC auth step with real clients: gRPC, gRPC-Web, Connect (R-SEC-1..5)", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool();
  });
  afterAll(() => pool.close());
  beforeEach(() => {
    pool.tenancy = tenancyConfig({}, { rate_burst: 1_000 });
    pool.service.calls.length = 0;
  });

  const transports = (interceptors: Interceptor[]) => ({
    gRPC: createGrpcTransport({ baseUrl: pool.baseUrl, interceptors }),
    "gRPC-Web": createGrpcWebTransport({ baseUrl: pool.baseUrl, httpVersion: "1.1", interceptors }),
    "Connect binary": createConnectTransport({ baseUrl: pool.baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors }),
    "Connect JSON": createConnectTransport({ baseUrl: pool.baseUrl, httpVersion: "1.1", interceptors }),
  });

  it("R-SEC-1: a signed Infer passes on every protocol and the service sees the identity", async () => {
    for (const [name, transport] of Object.entries(transports([hmacInterceptor({ clock: pool.clock })]))) {
      const { answer } = await createClient(LlmPoolService, transport).infer(inferRequest(name));
      expect(answer?.output, name).toContain(`echo:${name}`);
      expect(pool.service.calls.at(-1)!.ctx.identity?.principal, name).toBe("vvtv-a");
    }
  });

  it("R-SEC-1: unsigned, wrongly signed or tampered calls are UNAUTHENTICATED on every protocol", async () => {
    const tamper: Interceptor = (next) => async (req) => {
      if (!req.stream) (req.message as InferRequest).query!.prompt = "changed after signing";
      return next(req);
    };
    const cases: [string, Interceptor[]][] = [
      ["unsigned", []],
      ["wrong secret", [hmacInterceptor({ clock: pool.clock, secret: SECRET_B })]],
      ["body changed after signing", [tamper, hmacInterceptor({ clock: pool.clock })].reverse()],
      ["unknown key", [hmacInterceptor({ clock: pool.clock, keyId: "ghost" })]],
    ];
    for (const [label, interceptors] of cases) {
      for (const [name, transport] of Object.entries(transports(interceptors))) {
        const error = await rpcError(createClient(LlmPoolService, transport).infer(inferRequest()));
        expect(error.code, `${label} over ${name}`).toBe(RpcCode.Unauthenticated);
        expect(error.rawMessage).toBe("the request is not authenticated");
      }
    }
    expect(pool.service.calls).toHaveLength(0);
  });

  it("R-SEC-2: a replayed gRPC call (same signed bytes) is UNAUTHENTICATED", async () => {
    const body = envelope(toBinary(InferRequestSchema, inferRequest("replay me")));
    const headers = Object.fromEntries(signedHeaders({ path: INFER_PATH, contentType: "application/grpc", body }, pool.clock));
    expect((await grpcExchange(pool.baseUrl, headers, body))["grpc-status"]).toBe("0");
    expect((await grpcExchange(pool.baseUrl, headers, body))["grpc-status"]).toBe(String(RpcCode.Unauthenticated));
  });

  it("R-SEC-1: duplicated metadata is refused, never a 500", async () => {
    const duplicate: Interceptor = (next) => async (req) => {
      req.header.append("x-nonce", req.header.get("x-nonce")!);
      return next(req);
    };
    const transport = createGrpcTransport({ baseUrl: pool.baseUrl, interceptors: [duplicate, hmacInterceptor({ clock: pool.clock })].reverse() });
    expect((await rpcError(createClient(LlmPoolService, transport).infer(inferRequest()))).code).toBe(RpcCode.Unauthenticated);
  });

  it("R-SEC-4: a Query for a project the key does not hold is PERMISSION_DENIED", async () => {
    const client = createClient(LlmPoolService, createGrpcTransport({ baseUrl: pool.baseUrl, interceptors: [hmacInterceptor({ clock: pool.clock })] }));
    expect((await rpcError(client.infer(inferRequest("x", { projectId: "ops" })))).code).toBe(RpcCode.PermissionDenied);
  });

  it("R-SEC-1: LlmPoolService.Health needs credentials; grpc.health.v1 does not", async () => {
    const unsigned = createGrpcTransport({ baseUrl: pool.baseUrl });
    expect((await rpcError(createClient(LlmPoolService, unsigned).health({}))).code).toBe(RpcCode.Unauthenticated);
    const signed = createGrpcTransport({ baseUrl: pool.baseUrl, interceptors: [hmacInterceptor({ clock: pool.clock })] });
    await expect(createClient(LlmPoolService, signed).health({})).resolves.toBeDefined();
    expect((await createClient(GrpcHealthService, unsigned).check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  it("R-SEC-5: over the limit: RESOURCE_EXHAUSTED with retry-after and RateLimit metadata (gRPC trailers, Connect headers)", async () => {
    for (const [name, transport] of Object.entries(transports([hmacInterceptor({ clock: pool.clock })]))) {
      const client = createClient(LlmPoolService, transport);
      const project = name.replace(/\W/g, "").toLowerCase();
      pool.tenancy = tenancyConfig({}, { rate_rps: 1, rate_burst: 3, projects: [project] });
      for (let i = 0; i < 3; i++) await client.infer(inferRequest(`ok ${i}`));
      const error = await rpcError(client.infer(inferRequest("one too many")));
      expect(error.code, name).toBe(RpcCode.ResourceExhausted);
      expect(error.metadata.get("retry-after"), name).toBe("1");
      expect(error.metadata.get("ratelimit-policy"), name).toBe('"infer";q=3;w=3');
      expect(error.metadata.get("ratelimit"), name).toBe('"infer";r=0;t=3');
    }
  });

  it("R-SEC-5: an admitted gRPC call carries the RateLimit fields in its response headers", async () => {
    const body = envelope(toBinary(InferRequestSchema, inferRequest("headers")));
    const seen = await grpcExchange(pool.baseUrl, Object.fromEntries(signedHeaders({ path: INFER_PATH, contentType: "application/grpc", body }, pool.clock)), body);
    expect(seen["grpc-status"]).toBe("0");
    expect(seen["ratelimit-policy"]).toBe('"infer";q=1000;w=100');
    expect(seen.ratelimit).toMatch(/^"infer";r=\d+;t=\d+$/);
  });

  it("no call above produced an internal error", () => {
    expect(pool.errors).toEqual([]);
  });
});
