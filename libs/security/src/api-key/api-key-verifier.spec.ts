import { createHash } from "node:crypto";
import type { TenancyConfig, TenantApiKeyConfig } from "@llm-pool/config";
import { Code, FakeClock } from "@llm-pool/core";
import { beforeEach, describe, expect, it } from "vitest";
import { authReasonOf } from "../auth-failure.js";
import { createSecurity, type Security } from "../create-security.js";
import { signRequest } from "../hmac/sign-request.js";
import { headerListFromRecord } from "../request-headers.js";
import { SECRET_A, snapshotOf, specEnv, tenancyConfig } from "@llm-pool/security/test-support";

const KEY_A = "3f9c1d0e6b2a47d8a1c5e9f0b7d3a6c2e8f1b4d7a0c3e6f9b2d5a8c1e4f7b0d3";
const KEY_B = "0b1c2d3e4f5061728394a5b6c7d8e9f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const sha256 = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

describe("R-API-7 bearer API keys, stored as SHA-256 hashes", () => {
  let clock: FakeClock;
  let tenancy: TenancyConfig;
  let security: Security;
  const refusals: string[] = [];
  const used: string[] = [];

  const withKeys = (overrides: Partial<TenancyConfig> = {}, keys: TenantApiKeyConfig[] = [{ id: "owui-a", sha256: sha256(KEY_A), scopes: ["infer"] }]) =>
    tenancyConfig(overrides, { api_keys: keys });

  beforeEach(() => {
    clock = new FakeClock(1_800_000_000_000);
    tenancy = withKeys();
    refusals.length = 0;
    used.length = 0;
    security = createSecurity({
      config: () => snapshotOf(tenancy),
      env: specEnv,
      clock,
      observer: { refused: (s, r) => refusals.push(`${s}:${r}`), keyUsed: (id, tenant) => used.push(`${tenant}/${id}`) },
    });
  });

  const body = new Uint8Array();
  const request = (headers: Record<string, string>) => ({ method: "POST", path: "/v1/chat/completions", query: "", body, headers: headerListFromRecord(headers) });
  const bearer = (key: string) => request({ authorization: `Bearer ${key}` });
  const reason = (p: Promise<unknown>) => p.then(() => "passed", (e: unknown) => authReasonOf(e));

  it.each(["hmac", "jwt", "hmac_or_jwt"] as const)("a configured key names its tenant, default project first, in auth = %s", async (auth) => {
    tenancy = withKeys({ auth });
    await expect(security.authenticator.authenticate(bearer(KEY_A), "infer")).resolves.toEqual({
      tenantId: "vvtv",
      projectIds: ["planner", "curator"],
      principal: "owui-a",
      scopes: ["infer"],
    });
    expect(used).toEqual(["vvtv/owui-a"]);
  });

  it("an unknown key, a key one character off, and the configured hash itself are refused (401, one message)", async () => {
    const attempts = [KEY_B, `${KEY_A.slice(0, -1)}4`, sha256(KEY_A), KEY_A.toUpperCase(), "x".repeat(513)];
    const errors = await Promise.all(attempts.map((key) => security.authenticator.authenticate(bearer(key), "infer").catch((e: unknown) => e)));
    expect(errors.map((e) => (e as { code: Code }).code)).toEqual(attempts.map(() => Code.Unauthenticated));
    expect(new Set(errors.map((e) => (e as Error).message))).toEqual(new Set(["the request is not authenticated"]));
    expect(refusals).toEqual(["api_key:unknown_key", "api_key:unknown_key", "api_key:unknown_key", "api_key:unknown_key", "api_key:malformed_token"]);
    expect(used).toEqual([]);
  });

  it("rotation A/B: with both configured both pass; once A is dropped (a reload) A is refused at once and B passes", async () => {
    const a: TenantApiKeyConfig = { id: "owui-a", sha256: sha256(KEY_A), scopes: ["infer"] };
    const b: TenantApiKeyConfig = { id: "owui-b", sha256: sha256(KEY_B), scopes: ["infer"] };
    tenancy = withKeys({}, [a, b]);
    expect(await reason(security.authenticator.authenticate(bearer(KEY_A), "infer"))).toBe("passed");
    expect(await reason(security.authenticator.authenticate(bearer(KEY_B), "infer"))).toBe("passed");
    tenancy = withKeys({}, [b]);
    expect(await reason(security.authenticator.authenticate(bearer(KEY_A), "infer"))).toBe("unknown_key");
    expect(await reason(security.authenticator.authenticate(bearer(KEY_B), "infer"))).toBe("passed");
    expect(used).toEqual(["vvtv/owui-a", "vvtv/owui-b", "vvtv/owui-b"]);
  });

  it("the tenant's kill switch refuses its keys; a key acts only within its scopes (403)", async () => {
    tenancy = tenancyConfig({}, { enabled: false, api_keys: [{ id: "owui-a", sha256: sha256(KEY_A), scopes: ["infer"] }] });
    expect(await reason(security.authenticator.authenticate(bearer(KEY_A), "infer"))).toBe("tenant_disabled");
    tenancy = withKeys({}, [{ id: "scraper", sha256: sha256(KEY_A), scopes: ["metrics"] }]);
    expect(await reason(security.authenticator.authenticate(bearer(KEY_A), "metrics"))).toBe("passed");
    const denied = await security.authenticator.authenticate(bearer(KEY_A), "infer").catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: Code.PermissionDenied });
    expect(authReasonOf(denied)).toBe("missing_scope");
  });

  it("a key together with HMAC headers is ambiguous; a key in two Authorization headers is refused", async () => {
    const signed = signRequest(SECRET_A, { keyId: "vvtv-a", method: "POST", path: "/v1/chat/completions", query: "", contentType: "", body, now: clock.now() });
    expect(await reason(security.authenticator.authenticate(request({ ...signed, authorization: `Bearer ${KEY_A}` }), "infer"))).toBe("ambiguous_credentials");
    const twice = { method: "POST", path: "/", query: "", body, headers: (name: string) => (name === "authorization" ? [`Bearer ${KEY_A}`, `Bearer ${KEY_A}`] : []) };
    expect(await reason(security.authenticator.authenticate(twice, "infer"))).toBe("missing_credentials");
  });

  it("auth = none ignores keys: no identity", async () => {
    tenancy = withKeys({ auth: "none", allow_unauthenticated: true });
    await expect(security.authenticator.authenticate(bearer(KEY_B), "infer")).resolves.toBeUndefined();
  });
});
