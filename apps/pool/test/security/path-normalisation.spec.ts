import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inferBody, rawTarget, signedHeaders, startSecuredPool, tenancyConfig, type SecuredPool } from "./security-fixture.js";

/**
 * The REST router (Hono, through WHATWG URL parsing) resolves dot segments
 * and percent-encoded letters before it routes: "/v1/./infer",
 * "/healthz/../v1/infer" and "/v1/%69nfer" all reach POST /v1/infer. The
 * signature covers the path as sent, and whether a path is public is
 * decided on the path the router routes, never on the raw one.
 */
describe("paths the router normalises (R-SEC-1)", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool({ metricsPublic: false });
  });
  afterAll(() => pool.close());
  beforeEach(() => {
    pool.tenancy = tenancyConfig({}, { rate_burst: 1_000 });
    pool.service.calls.length = 0;
  });

  const disguises = [
    "/grpc.health.v1.Health/../../v1/infer",
    "/grpc.health.v1.Health/%2e%2e/%2E%2E/v1/infer",
    "/grpc.health.v1.Health/Check/../../../v1/infer",
    "/healthz/../v1/infer",
    "/readyz/%2e%2e/v1/infer",
    "/v1/./infer",
    "/v1/%69nfer",
  ];

  it.each(disguises)("R-SEC-1: an unsigned POST %s is 401 and never reaches the service", async (target) => {
    const res = await rawTarget(pool.port, { target, headers: [["content-type", "application/json"]], body: inferBody() });
    expect(res.status).toBe(401);
    expect(pool.service.calls).toHaveLength(0);
  });

  it.each(["/grpc.health.v1.Health/../../metrics", "/healthz/../metrics", "/%6detrics"])(
    "R-SEC-1: an unsigned GET %s is 401 when /metrics is not public",
    async (target) => {
      expect((await rawTarget(pool.port, { method: "GET", target })).status).toBe(401);
    },
  );

  it("R-SEC-1: the signature covers the path as sent: signed over /v1/./infer it is answered, as /v1/infer", async () => {
    const body = inferBody("dot segment");
    const asSent = signedHeaders({ path: "/v1/./infer", body }, pool.clock);
    const res = await rawTarget(pool.port, { target: "/v1/./infer", headers: asSent, body });
    expect(res.status).toBe(200);
    expect(pool.service.calls.at(-1)!.ctx.identity?.principal).toBe("vvtv-a");
  });

  it("R-SEC-1: a signature over the normalised path does not pass for the un-normalised one, nor the reverse", async () => {
    const body = inferBody("normalised");
    const overNormalised = signedHeaders({ path: "/v1/infer", body }, pool.clock);
    expect((await rawTarget(pool.port, { target: "/v1/%69nfer", headers: overNormalised, body })).status).toBe(401);
    const overRaw = signedHeaders({ path: "/v1/%69nfer", body }, pool.clock);
    expect((await rawTarget(pool.port, { target: "/v1/infer", headers: overRaw, body })).status).toBe(401);
    expect(pool.service.calls).toHaveLength(0);
  });

  it("RPC paths match exactly as sent: /LlmPoolService/./Infer is no RPC (401; once signed 404, or UNIMPLEMENTED over gRPC)", async () => {
    const target = "/vvtv.llmpool.v1.LlmPoolService/./Infer";
    const body = inferBody("dots");
    expect((await rawTarget(pool.port, { target, headers: [["content-type", "application/json"]], body })).status).toBe(401);
    expect((await rawTarget(pool.port, { target, headers: signedHeaders({ path: target, body }, pool.clock), body })).status).toBe(404);
    const grpc = await rawTarget(pool.port, { target, headers: signedHeaders({ path: target, contentType: "application/grpc-web+proto", body: "" }, pool.clock) });
    expect(grpc.status).toBe(200);
    expect(grpc.text).toContain("grpc-status: 12\r\n");
    expect(pool.service.calls).toHaveLength(0);
  });

  it("public paths stay public only as themselves: /healthz and /readyz answer without credentials", async () => {
    expect((await rawTarget(pool.port, { method: "GET", target: "/healthz" })).status).toBe(200);
    expect((await rawTarget(pool.port, { method: "GET", target: "/v1/../healthz" })).status).toBe(200);
  });

  it("no call above produced an internal error", () => {
    expect(pool.errors).toEqual([]);
  });
});
