import type { TenancyConfig } from "@llm-pool/config";
import { Code, FakeClock } from "@llm-pool/core";
import { SECRET_A, SECRET_OPS, snapshotOf, specEnv, tenancyConfig, tenancyWithOperator } from "@llm-pool/security/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { authReasonOf } from "./auth-failure.js";
import { createSecurity, type Security } from "./create-security.js";
import { signRequest } from "./hmac/sign-request.js";
import { headerListFromRecord } from "./request-headers.js";

describe("Authenticator: modes and schemes (R-SEC-1, R-SEC-3)", () => {
  let clock: FakeClock;
  let tenancy: TenancyConfig;
  let security: Security;
  const refusals: string[] = [];

  beforeEach(() => {
    clock = new FakeClock(1_800_000_000_000);
    tenancy = tenancyConfig();
    refusals.length = 0;
    security = createSecurity({ config: () => snapshotOf(tenancy), env: specEnv, clock, observer: { refused: (s, r) => refusals.push(`${s}:${r}`) } });
  });

  const body = new Uint8Array();
  const signed = (extra: Record<string, string> = {}) => ({
    method: "GET",
    path: "/metrics",
    query: "",
    body,
    headers: headerListFromRecord({ ...signRequest(SECRET_A, { keyId: "vvtv-a", method: "GET", path: "/metrics", query: "", contentType: "", body, now: clock.now() }), ...extra }),
  });
  const bare = (headers: Record<string, string> = {}) => ({ method: "GET", path: "/metrics", query: "", body, headers: headerListFromRecord(headers) });
  const reason = (p: Promise<unknown>) => p.then(() => "passed", (e: unknown) => authReasonOf(e));

  it("R-SEC-1: hmac mode: a signed request passes; no credentials, or a bearer token, is refused", async () => {
    await expect(security.authenticator.authenticate(signed(), "infer")).resolves.toMatchObject({ tenantId: "vvtv" });
    expect(await reason(security.authenticator.authenticate(bare(), "infer"))).toBe("missing_credentials");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Bearer a.b.c" }), "infer"))).toBe("missing_credentials");
    expect(refusals).toEqual(["none:missing_credentials", "jwt:missing_credentials"]);
  });

  it("R-SEC-3: hmac_or_jwt: both schemes at once are refused", async () => {
    tenancy = tenancyConfig({ auth: "hmac_or_jwt" });
    expect(await reason(security.authenticator.authenticate(signed({ authorization: "Bearer a.b.c" }), "infer"))).toBe("ambiguous_credentials");
  });

  it("R-SEC-3: jwt mode refuses HMAC headers; a malformed Authorization is refused", async () => {
    tenancy = tenancyConfig({ auth: "jwt" });
    expect(await reason(security.authenticator.authenticate(signed(), "infer"))).toBe("missing_credentials");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Basic dXNlcjpwYXNz" }), "infer"))).toBe("malformed_header");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Bearer " }), "infer"))).toBe("malformed_header");
  });

  it("R-SEC-3: the Bearer scheme is case-insensitive (RFC 9110 §11.1): bearer and BEARER reach the JWT check", async () => {
    tenancy = tenancyConfig({ auth: "jwt" });
    for (const authorization of ["bearer a.b.c", "BEARER a.b.c", "Bearer  a.b.c"]) {
      expect(await reason(security.authenticator.authenticate(bare({ authorization }), "infer")), authorization).toBe("malformed_token");
    }
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Bearera.b.c" }), "infer"))).toBe("malformed_header");
  });

  it("auth none: every request passes without an identity", async () => {
    tenancy = tenancyConfig({ auth: "none", allow_unauthenticated: true });
    await expect(security.authenticator.authenticate(bare(), "infer")).resolves.toBeUndefined();
  });

  it("prepare() reports key problems without secret values", () => {
    const problems = security.prepare(snapshotOf(tenancyConfig({}, { keys: [{ id: "vvtv-a", secret_env: "KEY_SHORT", scopes: ["infer"] }, { id: "vvtv-b", secret_env: "UNSET_VAR", scopes: ["infer"] }] })));
    expect(problems).toEqual(["tenant vvtv key vvtv-a: KEY_SHORT is shorter than 32 bytes", "tenant vvtv key vvtv-b: UNSET_VAR is not set"]);
    expect(problems.join()).not.toContain(specEnv.KEY_SHORT);
  });

  it("R-SEC-1: a key acts only within its scopes: a tenant key may not read metrics, an operator key may not infer (403)", async () => {
    tenancy = tenancyWithOperator();
    const operator = () => ({
      ...bare(),
      headers: headerListFromRecord({ ...signRequest(SECRET_OPS, { keyId: "ops-metrics", method: "GET", path: "/metrics", query: "", contentType: "", body, now: clock.now() }) }),
    });
    await expect(security.authenticator.authenticate(operator(), "metrics")).resolves.toMatchObject({ tenantId: "ops", scopes: ["metrics"] });
    const denied = await security.authenticator.authenticate(signed(), "metrics").catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: Code.PermissionDenied, message: "this identity may not make this request" });
    expect(authReasonOf(denied)).toBe("missing_scope");
    expect(await reason(security.authenticator.authenticate(operator(), "infer"))).toBe("missing_scope");
    expect(refusals).toEqual(["hmac:missing_scope", "hmac:missing_scope"]);
  });

  it("R-SEC-1: every refusal is unauthenticated with one message", async () => {
    const errors = await Promise.all([bare(), bare({ "x-api-key": "vvtv-a" }), signed({ "x-nonce": "bad" })].map((r) => security.authenticator.authenticate(r, "infer").catch((e: unknown) => e)));
    expect(new Set(errors.map((e) => (e as { code: Code }).code))).toEqual(new Set([Code.Unauthenticated]));
    expect(new Set(errors.map((e) => (e as Error).message)).size).toBe(1);
  });
});
