import { LlmPoolService } from "@llm-pool/contract";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  connectGetTarget,
  rawRequest,
  signedGet,
  signedHeaders,
  startSecuredPool,
  tenancyConfig,
  type SecuredPool,
} from "./security-fixture.js";

const HEALTH_PATH = `/${LlmPoolService.typeName}/Health`;
const HEALTH_GET = connectGetTarget(HEALTH_PATH);

describe("Connect GET is authenticated and admitted like POST (R-SEC-1, R-SEC-5)", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool({ metricsPublic: false });
  });
  afterAll(() => pool.close());
  const signedGetHeaders = () =>
    signedHeaders({ method: "GET", path: HEALTH_GET, contentType: "" }, pool.clock).filter(([name]) => name !== "content-type");
  beforeEach(() => {
    pool.tenancy = tenancyConfig({}, { rate_burst: 1_000 });
    pool.service.calls.length = 0;
  });

  it("R-SEC-1: an unsigned Connect GET of LlmPoolService/Health is 401 with the Connect error body, not the provider list", async () => {
    const res = await rawRequest(pool.baseUrl, { method: "GET", path: HEALTH_GET });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: "unauthenticated", message: "the request is not authenticated" });
    expect(res.text).not.toContain("SERVING");
  });

  it("R-SEC-1: the GET form of every LlmPoolService method is 401 without credentials, whatever the encoding", async () => {
    for (const method of LlmPoolService.methods) {
      for (const target of [
        connectGetTarget(`/${LlmPoolService.typeName}/${method.name}`),
        `/${LlmPoolService.typeName}/${method.name}?connect=v1&encoding=proto&base64=1&message=`,
        `/${LlmPoolService.typeName}/${method.name}`,
      ]) {
        const res = await rawRequest(pool.baseUrl, { method: "GET", path: target });
        expect(res.status, target).toBe(401);
      }
    }
    expect(pool.service.calls).toHaveLength(0);
  });

  it("R-SEC-1: a GET signed over method, path, canonical query and an empty body is answered", async () => {
    const res = await signedGet(pool, HEALTH_GET);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: "SERVING_STATUS_SERVING" });
    // The canonical query sorts the parameters: a client may send them in any order.
    const reordered = `${HEALTH_PATH}?message=%7B%7D&encoding=json&connect=v1`;
    expect((await signedGet(pool, reordered)).status).toBe(200);
  });

  it("R-SEC-1: a signed GET of a method with side effects (Infer) is refused by Connect (405) after auth, never run", async () => {
    const res = await signedGet(pool, connectGetTarget(`/${LlmPoolService.typeName}/Infer`, { query: { task: "TASK_JUDGE", prompt: "x" } }));
    expect(res.status).toBe(405);
    expect(pool.service.calls).toHaveLength(0);
  });

  it("R-SEC-1: the message travels in the query, so changing it after signing is 401", async () => {
    const headers = signedGetHeaders();
    const tampered = connectGetTarget(HEALTH_PATH, { unknown: 1 });
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: tampered, headers })).status).toBe(401);
  });

  it("R-SEC-2: a replayed signed GET is 401", async () => {
    const headers = signedGetHeaders();
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: HEALTH_GET, headers })).status).toBe(200);
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: HEALTH_GET, headers })).status).toBe(401);
  });

  it("R-SEC-5: signed GETs take tokens from the rate limit like any RPC, and the refusal carries Retry-After", async () => {
    pool.tenancy = tenancyConfig({}, { rate_rps: 1, rate_burst: 2, projects: ["gets"] });
    expect((await signedGet(pool, HEALTH_GET)).status).toBe(200);
    expect((await signedGet(pool, HEALTH_GET)).status).toBe(200);
    const refused = await signedGet(pool, HEALTH_GET);
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ code: "resource_exhausted" });
    expect(refused.headers["retry-after"]).toBe("1");
  });

  it("R-SEC-1: a Connect GET with a malformed message is refused with the pool's ErrorDetail (field body), after auth", async () => {
    const bad = `${HEALTH_PATH}?connect=v1&encoding=json&message=%7B`;
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: bad })).status).toBe(401);
    const res = await signedGet(pool, bad);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ code: "invalid_argument", details: [{ debug: { code: "invalid_argument", field: "body" } }] });
  });

  it("no call above produced an internal error", () => {
    expect(pool.errors).toEqual([]);
  });
});

describe("public liveness says SERVING or NOT_SERVING, nothing about providers", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool();
  });
  afterAll(() => pool.close());

  it("R-API-2: /readyz answers ready or not without the reasons, which may name providers and their errors", async () => {
    pool.service.ready = { ready: false, reasons: ["provider ollama-gemma (gemma2:9b): connect ECONNREFUSED 10.0.0.7:11434"] };
    const res = await rawRequest(pool.baseUrl, { method: "GET", path: "/readyz" });
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({ ready: false });
    expect(res.text).not.toMatch(/gemma|ECONNREFUSED|10\.0\.0\.7/);
    pool.service.ready = { ready: true, reasons: [] };
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/readyz" })).json()).toEqual({ ready: true });
  });
});
