import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code as RpcCode, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { LlmPoolService } from "@llm-pool/contract";
import { exportJWK, generateKeyPair, SignJWT, type GenerateKeyPairResult } from "jose";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferBody, inferRequest, rawRequest, signedInfer, startSecuredPool, tenancyConfig, type SecuredPool } from "./security-fixture.js";

const ISSUER = "https://auth.example.test/";

describe("JWT at the edges (R-SEC-3), with auth = hmac_or_jwt and a JWKS file", () => {
  let pool: SecuredPool;
  let keys: GenerateKeyPairResult;
  let dir: string;

  beforeAll(async () => {
    keys = await generateKeyPair("ES256", { extractable: true });
    dir = mkdtempSync(join(tmpdir(), "llm-pool-jwks-"));
    const jwksFile = join(dir, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: "es1", alg: "ES256" }] }));
    const jwt = { jwks_url: null, jwks_file: jwksFile, issuer: ISSUER, audience: ["llm-pool"], algorithms: ["ES256" as const] };
    pool = await startSecuredPool({ tenancy: tenancyConfig({ auth: "hmac_or_jwt" }, { jwt }) });
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (claims: Record<string, unknown> = {}, expiresInS = 300) => {
    const nowS = Math.floor(pool.clock.now() / 1000);
    return new SignJWT({ tenant_id: "vvtv", project_id: "curator", scopes: ["infer"], ...claims })
      .setProtectedHeader({ alg: "ES256", kid: "es1" })
      .setIssuer(ISSUER)
      .setAudience("llm-pool")
      .setSubject("svc-curator")
      .setIssuedAt(nowS - 600)
      .setExpirationTime(nowS + expiresInS)
      .sign(keys.privateKey);
  };
  const withBearer = async (jwt: string, scheme = "Bearer") =>
    rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"], ["authorization", `${scheme} ${jwt}`]], body: inferBody() });

  it("R-SEC-3: a valid token is answered; the identity holds the token's project", async () => {
    expect((await withBearer(await token())).status).toBe(200);
    expect(pool.service.calls.at(-1)!.ctx.identity).toEqual({ tenantId: "vvtv", projectIds: ["curator"], principal: "svc-curator", scopes: ["infer"] });
  });

  it("R-SEC-3: expired -> 401, missing scope -> 403, and HMAC still works in hmac_or_jwt", async () => {
    expect((await withBearer(await token({}, -120))).status).toBe(401);
    expect((await withBearer(await token({ scopes: ["read"] }))).status).toBe(403);
    expect((await signedInfer(pool)).status).toBe(200);
  });

  it("R-SEC-3: the auth scheme is case-insensitive (RFC 9110): bearer and BEARER work like Bearer", async () => {
    expect((await withBearer(await token(), "bearer")).status).toBe(200);
    expect((await withBearer(await token(), "BEARER")).status).toBe(200);
  });

  it("R-SEC-3: a valid token without project_id is 403 on Infer (it holds no project), and reads /metrics with the metrics scope", async () => {
    const jwt = await new SignJWT({ tenant_id: "vvtv", scopes: ["infer", "metrics"] })
      .setProtectedHeader({ alg: "ES256", kid: "es1" })
      .setIssuer(ISSUER)
      .setAudience("llm-pool")
      .setExpirationTime(Math.floor(pool.clock.now() / 1000) + 300)
      .sign(keys.privateKey);
    const infer = await withBearer(jwt);
    expect(infer.status).toBe(403);
    expect(infer.json()).toMatchObject({ code: "permission_denied" });
    pool.metricsPublic = false;
    const metrics = await rawRequest(pool.baseUrl, { method: "GET", path: "/metrics", headers: [["authorization", `Bearer ${jwt}`]] });
    pool.metricsPublic = true;
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("llmpool_auth_refused_total");
  });

  it("R-API-7: the token is the OpenAI client's API key and the Ollama client's bearer; an expired one is each client's 401", async () => {
    const openai = (apiKey: string) => new OpenAI({ baseURL: `${pool.baseUrl}/v1`, apiKey, maxRetries: 0 });
    const ollama = (jwt: string) => new Ollama({ host: pool.ollamaUrl, headers: { Authorization: `Bearer ${jwt}` } });
    const ask = { model: "pool/expand_queries", messages: [{ role: "user" as const, content: "gatos" }] };
    await openai(await token()).chat.completions.create(ask);
    expect(pool.service.calls.at(-1)!.ctx.identity).toMatchObject({ tenantId: "vvtv", projectIds: ["curator"], principal: "svc-curator" });
    await ollama(await token({ project_id: "planner" })).chat({ ...ask, stream: false });
    expect(pool.service.calls.at(-1)!.ctx.identity).toMatchObject({ tenantId: "vvtv", projectIds: ["planner"] });
    const expired = await token({}, -120);
    expect(await openai(expired).chat.completions.create(ask).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await ollama(expired).chat({ ...ask, stream: false }).catch((e: unknown) => e)).toMatchObject({ status_code: 401 });
  });

  it("R-SEC-3: the same over gRPC, the token in the authorization metadata", async () => {
    const jwt = await token();
    const transport = createGrpcTransport({
      baseUrl: pool.baseUrl,
      interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${jwt}`), next(req))],
    });
    await expect(createClient(LlmPoolService, transport).infer(inferRequest())).resolves.toBeDefined();
    const bad = createGrpcTransport({ baseUrl: pool.baseUrl, interceptors: [(next) => (req) => (req.header.set("authorization", "Bearer x.y.z"), next(req))] });
    const error = await createClient(LlmPoolService, bad).infer(inferRequest()).catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(RpcCode.Unauthenticated);
  });
});
