import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TenancyConfig } from "@llm-pool/config";
import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { tenancyConfig, tenantConfig } from "@llm-pool/security/test-support";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type GenerateKeyPairResult, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authReasonOf } from "../auth-failure.js";
import { JwtVerifier } from "./jwt-verifier.js";
import { RemoteKeySet } from "./key-set.js";

const ISSUER = "https://auth.example.test/";
const AUDIENCE = "llm-pool";
const NOW_MS = 1_800_000_000_000;

/** A JWKS endpoint on loopback that can be taken down, counting fetches. */
class JwksServer {
  keys: JWK[] = [];
  down = false;
  hits = 0;
  #server: Server = createServer((_, res) => {
    this.hits++;
    if (this.down) return void res.writeHead(503).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: this.keys }));
  });
  url = "";
  async start() {
    await new Promise<void>((r) => this.#server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/jwks.json`;
  }
  stop() {
    return new Promise((r) => this.#server.close(r));
  }
}

describe("JwtVerifier (R-SEC-3)", () => {
  const jwks = new JwksServer();
  let rsa: GenerateKeyPairResult;
  let rsaPublicJwk: JWK;
  let otherRsa: GenerateKeyPairResult;
  let clock: FakeClock;
  let tenancy: TenancyConfig;
  let keySet: RemoteKeySet;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    await jwks.start();
    rsa = await generateKeyPair("RS256", { extractable: true });
    otherRsa = await generateKeyPair("RS256", { extractable: true });
    rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  });
  afterAll(() => jwks.stop());

  beforeEach(() => {
    jwks.keys = [rsaPublicJwk];
    jwks.down = false;
    jwks.hits = 0;
    clock = new FakeClock(NOW_MS);
    const jwt = { jwks_url: jwks.url, jwks_file: null, issuer: ISSUER, audience: [AUDIENCE], algorithms: ["RS256", "ES256"] as const };
    tenancy = tenancyConfig({ auth: "jwt" }, { jwt: { ...jwt, algorithms: [...jwt.algorithms] } });
    tenancy = { ...tenancy, tenants: { ...tenancy.tenants, nojwt: tenantConfig("nojwt") } };
    keySet = new RemoteKeySet({ url: jwks.url, clock, cooldownMs: 30_000, maxAgeMs: 600_000 });
    verifier = new JwtVerifier({ tenancy: () => tenancy, keySet: () => keySet, clock, clockToleranceS: 30 });
  });

  const claims = { tenant_id: "vvtv", project_id: "curator", scopes: ["infer"], sub: "svc-curator" };

  function token(
    payload: Record<string, unknown> = claims,
    options: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string; iss?: string; aud?: string; iat?: number; exp?: number; nbf?: number } = {},
  ): Promise<string> {
    const nowS = Math.floor(clock.now() / 1000);
    let jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "k1" })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt(options.iat ?? nowS)
      .setExpirationTime(options.exp ?? nowS + 300);
    if (options.nbf !== undefined) jwt = jwt.setNotBefore(options.nbf);
    return jwt.sign(options.key ?? rsa.privateKey);
  }

  async function refusal(jwt: string) {
    const error = await verifier.verify(jwt).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    return { code: (error as PoolError).code, reason: authReasonOf(error) };
  }

  it("R-SEC-3: a valid token yields the tenant, the one project it names, and its subject", async () => {
    expect(await verifier.verify(await token())).toEqual({ tenantId: "vvtv", projectIds: ["curator"], principal: "svc-curator", scopes: ["infer"] });
  });

  it("R-SEC-3: scopes may be a space-separated string; unknown scopes are dropped", async () => {
    await expect(verifier.verify(await token({ ...claims, scopes: "read metrics infer" }))).resolves.toMatchObject({ scopes: ["infer", "metrics"] });
    await expect(verifier.verify(await token({ tenant_id: "vvtv", project_id: "curator" }))).resolves.toMatchObject({ scopes: [] });
  });

  it("R-SEC-3: alg none is refused", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", kid: "k1" })).toString("base64url");
    const nowS = Math.floor(NOW_MS / 1000);
    const body = Buffer.from(JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE, exp: nowS + 60 })).toString("base64url");
    expect((await refusal(`${header}.${body}.`)).code).toBe(Code.Unauthenticated);
    expect((await refusal(`${header}.${body}.AAAA`)).code).toBe(Code.Unauthenticated);
  });

  it("R-SEC-3: HS256 signed with the RSA public key (algorithm confusion) is refused", async () => {
    const publicPem = Buffer.from(JSON.stringify(rsaPublicJwk));
    expect(await refusal(await token(claims, { alg: "HS256", key: publicPem }))).toMatchObject({ code: Code.Unauthenticated, reason: "token_rejected" });
  });

  it("R-SEC-3: an algorithm outside the tenant's allow-list is refused even with a good key", async () => {
    tenancy = tenancyConfig({ auth: "jwt" }, { jwt: { jwks_url: jwks.url, jwks_file: null, issuer: ISSUER, audience: [AUDIENCE], algorithms: ["ES256"] } });
    expect(await refusal(await token())).toMatchObject({ reason: "token_rejected" });
  });

  it("R-SEC-3: expired beyond the tolerance is refused; within it accepted", async () => {
    const nowS = Math.floor(NOW_MS / 1000);
    expect(await refusal(await token(claims, { iat: nowS - 600, exp: nowS - 31 }))).toMatchObject({ reason: "token_rejected" });
    await expect(verifier.verify(await token(claims, { iat: nowS - 600, exp: nowS - 29 }))).resolves.toBeDefined();
  });

  it("R-SEC-3: not yet valid (nbf) beyond the tolerance is refused", async () => {
    const nowS = Math.floor(NOW_MS / 1000);
    expect(await refusal(await token(claims, { nbf: nowS + 120 }))).toMatchObject({ reason: "token_rejected" });
    await expect(verifier.verify(await token(claims, { nbf: nowS + 20 }))).resolves.toBeDefined();
  });

  it.each([
    ["issuer", { iss: "https://evil.example/" }],
    ["audience", { aud: "someone-else" }],
  ])("R-SEC-3: a wrong %s is refused", async (_, options) => {
    expect(await refusal(await token(claims, options))).toMatchObject({ code: Code.Unauthenticated, reason: "token_rejected" });
  });

  it("R-SEC-3: a token signed by a key not in the JWKS is refused", async () => {
    expect(await refusal(await token(claims, { key: otherRsa.privateKey }))).toMatchObject({ reason: "token_rejected" });
  });

  it("R-SEC-4: a project the tenant does not have is 403; no project_id is a valid token that holds no project", async () => {
    expect(await refusal(await token({ ...claims, project_id: "ops" }))).toEqual({ code: Code.PermissionDenied, reason: "project_not_allowed" });
    expect(await refusal(await token({ ...claims, project_id: 7 }))).toEqual({ code: Code.PermissionDenied, reason: "project_not_allowed" });
    await expect(verifier.verify(await token({ tenant_id: "vvtv", scopes: ["metrics"] }))).resolves.toMatchObject({ projectIds: [], scopes: ["metrics"] });
  });

  it("R-SEC-3: without tenant_id or exp the token is 401", async () => {
    expect(await refusal(await token({ project_id: "curator", scopes: ["infer"] }))).toMatchObject({ code: Code.Unauthenticated });
  });

  it("R-SEC-3: an unknown tenant, a tenant without JWT, or a disabled tenant is refused", async () => {
    expect(await refusal(await token({ ...claims, tenant_id: "ghost" }))).toMatchObject({ reason: "unknown_tenant" });
    expect(await refusal(await token({ ...claims, tenant_id: "nojwt" }))).toMatchObject({ reason: "unknown_tenant" });
    tenancy = tenancyConfig({ auth: "jwt" }, { enabled: false, jwt: tenancy.tenants.vvtv!.jwt });
    expect(await refusal(await token())).toMatchObject({ reason: "tenant_disabled" });
  });

  it.each(["", "abc", "a.b", "a.b.c.d", "eyJ.eyJ.sig with space", "x".repeat(10_000)])("R-SEC-3: garbage %j is a 401", async (garbage) => {
    expect((await refusal(garbage)).code).toBe(Code.Unauthenticated);
  });

  it("R-SEC-3: unknown kids cause at most one JWKS fetch per cooldown (no refetch storm)", async () => {
    await verifier.verify(await token());
    expect(jwks.hits).toBe(1);
    await clock.advance(31_000);
    const forged = await Promise.all(Array.from({ length: 50 }, () => token(claims, { kid: "nope" })));
    await Promise.all(forged.map((t) => refusal(t)));
    expect(jwks.hits).toBe(2);
    await Promise.all(forged.map((t) => refusal(t)));
    expect(jwks.hits).toBe(2);
  });

  it("R-SEC-3: a rotated key is picked up through the unknown-kid refetch", async () => {
    await verifier.verify(await token());
    const next = { ...(await exportJWK(otherRsa.publicKey)), kid: "k2", alg: "RS256", use: "sig" };
    jwks.keys = [rsaPublicJwk, next];
    await clock.advance(31_000);
    await expect(verifier.verify(await token(claims, { key: otherRsa.privateKey, kid: "k2" }))).resolves.toBeDefined();
  });

  it("R-SEC-3: while the JWKS endpoint is down the last good key set keeps serving, long after it went stale", async () => {
    await verifier.verify(await token());
    jwks.down = true;
    for (let hour = 1; hour <= 3; hour++) {
      await clock.advance(3_600_000);
      await expect(verifier.verify(await token())).resolves.toBeDefined();
    }
    expect(jwks.hits).toBe(4); // one refresh attempt per stale check, none per request
    jwks.down = false;
  });

  it("R-SEC-3: with no key set ever fetched, JWTs are refused (401) and retried only after the cooldown", async () => {
    jwks.down = true;
    expect(await refusal(await token())).toMatchObject({ reason: "jwks_unavailable" });
    expect(await refusal(await token())).toMatchObject({ reason: "jwks_unavailable" });
    expect(jwks.hits).toBe(1);
    jwks.down = false;
    await clock.advance(30_000);
    await expect(verifier.verify(await token())).resolves.toBeDefined();
  });
});
