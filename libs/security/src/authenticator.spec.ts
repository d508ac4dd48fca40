import type { TenancyConfig } from "@llm-pool/config";
import { Code, FakeClock } from "@llm-pool/core";
import { beforeEach, describe, expect, it } from "vitest";
import { authReasonOf } from "./auth-failure.js";
import { createSecurity, type Security } from "./create-security.js";
import { signRequest } from "./hmac/sign-request.js";
import { headerListFromRecord } from "./request-headers.js";
import { SECRET_A, snapshotOf, specEnv, tenancyConfig } from "./spec-helpers.js";

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
    await expect(security.authenticator.authenticate(signed())).resolves.toMatchObject({ tenantId: "vvtv" });
    expect(await reason(security.authenticator.authenticate(bare()))).toBe("missing_credentials");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Bearer a.b.c" })))).toBe("missing_credentials");
    expect(refusals).toEqual(["none:missing_credentials", "jwt:missing_credentials"]);
  });

  it("R-SEC-3: hmac_or_jwt: both schemes at once are refused", async () => {
    tenancy = tenancyConfig({ auth: "hmac_or_jwt" });
    expect(await reason(security.authenticator.authenticate(signed({ authorization: "Bearer a.b.c" })))).toBe("ambiguous_credentials");
  });

  it("R-SEC-3: jwt mode refuses HMAC headers; a malformed Authorization is refused", async () => {
    tenancy = tenancyConfig({ auth: "jwt" });
    expect(await reason(security.authenticator.authenticate(signed()))).toBe("missing_credentials");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Basic dXNlcjpwYXNz" })))).toBe("malformed_header");
    expect(await reason(security.authenticator.authenticate(bare({ authorization: "Bearer " })))).toBe("malformed_header");
  });

  it("auth none: every request passes without an identity", async () => {
    tenancy = tenancyConfig({ auth: "none", allow_unauthenticated: true });
    await expect(security.authenticator.authenticate(bare())).resolves.toBeUndefined();
  });

  it("prepare() reports key problems without secret values", () => {
    const problems = security.prepare(snapshotOf(tenancyConfig({}, { keys: [{ id: "vvtv-a", secret_env: "KEY_SHORT" }, { id: "vvtv-b", secret_env: "UNSET_VAR" }] })));
    expect(problems).toEqual(["tenant vvtv key vvtv-a: KEY_SHORT is shorter than 32 bytes", "tenant vvtv key vvtv-b: UNSET_VAR is not set"]);
    expect(problems.join()).not.toContain(specEnv.KEY_SHORT);
  });

  it("R-SEC-1: every refusal is unauthenticated with one message", async () => {
    const errors = await Promise.all([bare(), bare({ "x-api-key": "vvtv-a" }), signed({ "x-nonce": "bad" })].map((r) => security.authenticator.authenticate(r).catch((e: unknown) => e)));
    expect(new Set(errors.map((e) => (e as { code: Code }).code))).toEqual(new Set([Code.Unauthenticated]));
    expect(new Set(errors.map((e) => (e as Error).message)).size).toBe(1);
  });
});
