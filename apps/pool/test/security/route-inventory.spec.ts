import { create } from "@bufbuild/protobuf";
import { Code as RpcCode, ConnectError } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { DescMethod, DescMethodStreaming, DescMethodUnary, DescService } from "@bufbuild/protobuf";
import { LlmPoolService } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessFor, openAuth, PUBLIC_PATHS } from "../../src/auth/edge-auth.js";
import { createHttpApp } from "../../src/http/app.js";
import { createOllamaApp, OLLAMA_PUBLIC_PATHS } from "../../src/ollama/ollama-app.js";
import { GrpcHealthService } from "../../src/index.js";
import { silentLogger } from "../../src/logger.js";
import { FakeInferService } from "../fake-infer-service.js";
import { connectGetTarget, FIXED_CATALOG, rawRequest, rawTarget, startSecuredPool, type SecuredPool } from "./security-fixture.js";

/** Every service the server registers (pool-server.ts): a new one must be added here and to the public list on purpose. */
const SERVICES: readonly DescService[] = [LlmPoolService, GrpcHealthService];

/** The REST routes of the Hono app (the OpenAI door included), as Hono lists them. */
function restRoutes(): { method: string; path: string }[] {
  return honoRoutes(
    createHttpApp({
      service: new FakeInferService(),
      readiness: () => ({ ready: true, reasons: [] }),
      metrics: async () => ({ contentType: "text/plain", body: "" }),
      status: async () => "<!doctype html>",
      maxBodyBytes: 1_024,
      logger: silentLogger,
      auth: openAuth,
      openai: { catalog: FIXED_CATALOG, clock: { now: () => 0, setTimer: () => () => {} } as never },
    }),
  );
}

/** The routes of the Ollama-compatible door, as Hono lists them. */
function ollamaRoutes(): { method: string; path: string }[] {
  return honoRoutes(
    createOllamaApp({ service: new FakeInferService(), auth: openAuth, catalog: FIXED_CATALOG, clock: { now: () => 0 } as never, logger: silentLogger, maxBodyBytes: 1_024 }),
  );
}

function honoRoutes(app: { routes: readonly { method: string; path: string }[] }): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of app.routes) {
    if (route.path === "/*" || route.path === "*") continue; // the auth middleware itself
    for (const method of route.method === "ALL" ? ["GET", "POST", "PUT", "DELETE"] : [route.method]) {
      seen.set(`${method} ${route.path}`, { method, path: route.path });
    }
  }
  return [...seen.values()];
}

async function callUnauthenticated(pool: SecuredPool, method: DescMethod): Promise<RpcCode | "ok"> {
  const transport = createGrpcTransport({ baseUrl: pool.baseUrl });
  const input = create(method.input);
  try {
    if (method.methodKind === "unary") {
      await transport.unary(method as DescMethodUnary, undefined, 2_000, undefined, input);
    } else {
      const res = await transport.stream(method as DescMethodStreaming, undefined, 500, undefined, (async function* () { yield input; })());
      for await (const _ of res.message) break;
    }
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

describe("every route and RPC refuses an unauthenticated call, except the documented public list", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool({ metricsPublic: false });
  });
  afterAll(() => pool.close());

  const isPublic = (path: string) => accessFor(path, false) === "public";

  it("the public list is exactly liveness, readiness and grpc.health.v1 (and /metrics only when configured), matched exactly", () => {
    expect(PUBLIC_PATHS).toEqual(["/healthz", "/readyz", "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch"]);
    expect(accessFor("/metrics", false)).toBe("metrics");
    expect(accessFor("/metrics", true)).toBe("public");
    expect(accessFor("/status", false)).toBe("metrics");
    expect(accessFor("/status", true)).toBe("public");
    expect(accessFor("/grpc.health.v1.Health/Check/../../v1/infer", false)).toBe("infer");
    expect(accessFor("/healthz/", false)).toBe("infer");
  });

  const routes = restRoutes();
  it("finds the REST routes", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["POST /v1/infer", "GET /healthz", "GET /readyz", "GET /metrics", "GET /status", "POST /v1/chat/completions", "POST /v1/completions", "GET /v1/models"]),
    );
  });

  // R-API-7: the Ollama-compatible door's own port answers the banner and the version openly, and nothing else.
  const doorRoutes = ollamaRoutes();
  it("the Ollama door's public list is the banner and the version; it finds the door's routes", () => {
    expect(OLLAMA_PUBLIC_PATHS).toEqual(["/", "/api/version"]);
    expect(doorRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["POST /api/chat", "POST /api/generate", "GET /api/tags", "GET /api/ps"]));
  });

  it.each(doorRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("Ollama door %s", async (_, route) => {
    const res = await rawRequest(pool.ollamaUrl, { method: route.method, path: route.path });
    if (OLLAMA_PUBLIC_PATHS.includes(route.path)) expect(res.status).not.toBe(401);
    else expect(res.status).toBe(401);
    for (const target of [`/..${route.path}`, `/api/version/..${route.path}`, `/api/%2e%2e${route.path}`]) {
      if (OLLAMA_PUBLIC_PATHS.includes(route.path)) continue;
      expect((await rawTarget(pool.ollamaPort, { method: route.method, target })).status, target).toBe(401);
    }
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("REST %s", async (_, route) => {
    const res = await rawRequest(pool.baseUrl, { method: route.method, path: route.path });
    if (isPublic(route.path)) expect(res.status).not.toBe(401);
    else expect(res.status).toBe(401);
  });

  // The router resolves dot segments and percent-encoded letters; a public prefix must not carry a private route.
  const disguises = (path: string) => [`/healthz/..${path}`, `/grpc.health.v1.Health/Check/../..${path}`, `/grpc.health.v1.Health/%2e%2e${path}`];
  it.each(routes.filter((r) => !isPublic(r.path)).map((r) => [`${r.method} ${r.path}`, r] as const))(
    "REST %s behind a public path and dot segments",
    async (_, route) => {
      for (const target of disguises(route.path)) {
        expect((await rawTarget(pool.port, { method: route.method, target })).status, target).toBe(401);
      }
    },
  );

  const methods = SERVICES.flatMap((s) => s.methods);
  it("finds the RPC methods", () => {
    expect(methods.map((m) => `${m.parent.typeName}/${m.name}`)).toEqual(
      expect.arrayContaining(["vvtv.llmpool.v1.LlmPoolService/Infer", "vvtv.llmpool.v1.LlmPoolService/InferStream", "grpc.health.v1.Health/Check"]),
    );
  });

  it.each(methods.map((m) => [`${m.parent.typeName}/${m.name}`, m] as const))("RPC %s", async (name, method) => {
    const outcome = await callUnauthenticated(pool, method);
    if (isPublic(`/${name}`)) expect(outcome).not.toBe(RpcCode.Unauthenticated);
    else expect(outcome).toBe(RpcCode.Unauthenticated);
  });

  // Connect serves side-effect-free methods over GET (the message in the query); every other HTTP method must meet the auth step too.
  it.each(methods.map((m) => [`${m.parent.typeName}/${m.name}`, m] as const))("RPC %s over GET, PUT and DELETE", async (name) => {
    for (const [method, target] of [
      ["GET", connectGetTarget(`/${name}`)],
      ["GET", `/${name}`],
      ["PUT", `/${name}`],
      ["DELETE", `/${name}`],
    ] as const) {
      const res = await rawRequest(pool.baseUrl, { method, path: target, headers: [["content-type", "application/json"]] });
      if (isPublic(`/${name}`)) expect(res.status, `${method} ${target}`).not.toBe(401);
      else expect(res.status, `${method} ${target}`).toBe(401);
    }
  });

  it.each(methods.filter((m) => !isPublic(`/${m.parent.typeName}/${m.name}`)).map((m) => [`${m.parent.typeName}/${m.name}`] as const))(
    "RPC %s behind a public path and dot segments",
    async (name) => {
      for (const target of disguises(`/${name}`)) {
        const res = await rawTarget(pool.port, { target, headers: [["content-type", "application/json"]], body: "{}" });
        expect(res.status, target).toBe(401);
      }
    },
  );

  it("nothing reached the service", () => {
    expect(pool.service.calls).toEqual([]);
  });
});
