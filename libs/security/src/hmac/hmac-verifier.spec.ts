import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { SECRET_A, SECRET_B, specEnv, tenancyConfig } from "@llm-pool/security/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { authReasonOf, type AuthReason } from "../auth-failure.js";
import { MemoryNonceStore } from "../nonce-store/memory.js";
import { headerListFromRecord } from "../request-headers.js";
import type { TenancyConfig } from "@llm-pool/config";
import { HmacVerifier, type RawRequest } from "./hmac-verifier.js";
import { buildKeyRing } from "./key-ring.js";
import { signRequest } from "./sign-request.js";

const NOW_S = 1_800_000_000;
const body = Buffer.from(JSON.stringify({ task: "TASK_JUDGE", prompt: "pick" }));

interface Spec {
  keyId?: string;
  secret?: string;
  timestamp?: string;
  nonce?: string;
  method?: string;
  path?: string;
  query?: string;
  contentType?: string;
  body?: Uint8Array;
}

/** A correctly signed request; `sent` changes what goes on the wire after signing. */
type Sent = Partial<Omit<RawRequest, "headers">> & { headers?: Record<string, string | string[] | undefined> };

function request(spec: Spec = {}, sent: Sent = {}): RawRequest {
  const parts = {
    keyId: spec.keyId ?? "vvtv-a",
    method: spec.method ?? "POST",
    path: spec.path ?? "/v1/infer",
    query: spec.query ?? "",
    contentType: spec.contentType ?? "application/json",
    body: spec.body ?? body,
    timestamp: spec.timestamp ?? String(NOW_S),
    ...(spec.nonce ? { nonce: spec.nonce } : {}),
  };
  const headers = signRequest(spec.secret ?? SECRET_A, parts);
  return {
    method: sent.method ?? parts.method,
    path: sent.path ?? parts.path,
    query: sent.query ?? parts.query,
    body: sent.body ?? parts.body,
    headers: headerListFromRecord({ "content-type": parts.contentType, ...headers, ...sent.headers }),
  };
}

describe("HmacVerifier (R-SEC-1, R-SEC-2)", () => {
  let clock: FakeClock;
  let nonces: MemoryNonceStore;
  let tenancy: TenancyConfig;
  let verifier: HmacVerifier;
  const used: string[] = [];

  beforeEach(() => {
    clock = new FakeClock(NOW_S * 1000 + 400);
    // A store that began an hour ago, so its epoch refuses nothing the timestamp window accepts.
    nonces = new MemoryNonceStore({ clock, epochMs: (NOW_S - 3600) * 1000 });
    tenancy = tenancyConfig();
    used.length = 0;
    verifier = new HmacVerifier({
      keys: () => buildKeyRing(tenancy, specEnv),
      clockSkewS: () => tenancy.clock_skew_s,
      nonces,
      clock,
      observer: { keyUsed: (keyId) => used.push(keyId) },
    });
  });

  async function refusal(req: RawRequest): Promise<{ code: Code; reason: AuthReason | undefined; message: string }> {
    const error = await verifier.verify(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PoolError);
    const e = error as PoolError;
    return { code: e.code, reason: authReasonOf(e), message: e.message };
  }

  it("R-SEC-1: a correctly signed request yields the key's identity and marks the key used", async () => {
    expect(await verifier.verify(request())).toEqual({ tenantId: "vvtv", projectIds: ["planner", "curator"], principal: "vvtv-a", scopes: ["infer"] });
    expect(used).toEqual(["vvtv-a"]);
  });

  it("R-SEC-2: the same request twice is a replay", async () => {
    const req = request();
    await verifier.verify(req);
    expect(await refusal(req)).toMatchObject({ code: Code.Unauthenticated, reason: "replayed_nonce" });
  });

  it("R-SEC-4: every refusal has the same message, whatever the reason", async () => {
    const messages = new Set<string>();
    for (const req of [request({ keyId: "nobody" }), request({ timestamp: "1700000000" }), request({}, { path: "/v2" }), request({}, { headers: { "x-nonce": undefined } })]) {
      messages.add((await refusal(req)).message);
    }
    expect(messages.size).toBe(1);
  });

  describe("timestamp window (|now - ts| <= clock_skew_s both ways)", () => {
    it.each([
      ["exactly at the past boundary", NOW_S - 300, true],
      ["one second past it", NOW_S - 301, false],
      ["exactly at the future boundary", NOW_S + 300, true],
      ["one second beyond it", NOW_S + 301, false],
      ["an hour in the past", NOW_S - 3600, false],
      ["a day in the future", NOW_S + 86_400, false],
    ])("R-SEC-2: %s", async (_, ts, ok) => {
      const req = request({ timestamp: String(ts) });
      if (ok) await expect(verifier.verify(req)).resolves.toBeDefined();
      else expect(await refusal(req)).toMatchObject({ reason: "timestamp_skew" });
    });

    it.each(["abc", "1e9", "-1", "1800000000000", "1800000000.5", " 1800000000", "1800000000 ", "0x6B49D200", "", "01800000000", "180000000"])(
      "R-SEC-2: malformed timestamp %j is refused",
      async (ts) => {
        const req = request({}, { headers: { "x-timestamp": ts } });
        expect((await refusal(req)).code).toBe(Code.Unauthenticated);
      },
    );
  });

  describe("tampering", () => {
    it.each<[string, Sent]>([
      ["body", { body: Buffer.from(JSON.stringify({ task: "TASK_JUDGE", prompt: "pick!" })) }],
      ["empty body", { body: new Uint8Array() }],
      ["path", { path: "/v1/infer2" }],
      ["path case", { path: "/V1/infer" }],
      ["query", { query: "a=1" }],
      ["method", { method: "PUT" }],
      ["content type", { headers: { "content-type": "text/plain" } }],
      ["key id (another valid key of the tenant)", { headers: { "x-api-key": "vvtv-b" } }],
      ["key id (another tenant)", { headers: { "x-api-key": "other-a" } }],
      ["timestamp", { headers: { "x-timestamp": String(NOW_S + 1) } }],
      ["nonce", { headers: { "x-nonce": "AAAAAAAAAAAAAAAAAAAAAA" } }],
    ])("R-SEC-1: changing the %s after signing breaks the signature", async (_, sent) => {
      expect(await refusal(request({}, sent))).toMatchObject({ code: Code.Unauthenticated, reason: "bad_signature" });
    });

    it("R-SEC-1: content type parameters and case are not signed", async () => {
      await expect(verifier.verify(request({}, { headers: { "content-type": "Application/JSON; charset=utf-8" } }))).resolves.toBeDefined();
    });

    it("R-SEC-1: an equivalent query spelling verifies (canonical query)", async () => {
      await expect(verifier.verify(request({ query: "b=2&a=%41" }, { query: "a=A&b=2" }))).resolves.toBeDefined();
    });

    it("R-SEC-1: a query with malformed percent-encoding is refused", async () => {
      expect(await refusal(request({}, { query: "a=%zz" }))).toMatchObject({ reason: "malformed_query" });
    });
  });

  describe("headers", () => {
    const names = ["x-api-key", "x-timestamp", "x-nonce", "x-signature"] as const;
    it.each(names)("R-SEC-1: missing %s is refused", async (name) => {
      expect(await refusal(request({}, { headers: { [name]: undefined } }))).toMatchObject({ reason: "missing_header" });
    });
    it.each(names)("R-SEC-1: empty %s is refused", async (name) => {
      expect((await refusal(request({}, { headers: { [name]: "" } }))).code).toBe(Code.Unauthenticated);
    });
    it.each(names)("R-SEC-1: duplicated %s is refused, even with the same value twice", async (name) => {
      const req = request();
      const value = req.headers(name)[0]!;
      const dup = request({}, { headers: { [name]: [value, value] } });
      expect(await refusal(dup)).toMatchObject({ reason: "duplicate_header" });
    });
    it("R-SEC-1: a duplicated content type is refused", async () => {
      const dup = request({}, { headers: { "content-type": ["application/json", "application/json"] } });
      expect(await refusal(dup)).toMatchObject({ reason: "duplicate_header" });
    });

    it.each([
      ["too short", "v1=abcdef"],
      ["too long", `v1=${"a".repeat(66)}`],
      ["upper case hex", `v1=${"A".repeat(64)}`],
      ["another prefix", `v2=${"a".repeat(64)}`],
      ["no prefix", "a".repeat(64)],
      ["base64", "v1=" + Buffer.alloc(32).toString("base64")],
      ["joined duplicates", `v1=${"a".repeat(64)}, v1=${"a".repeat(64)}`],
      ["non-ASCII", `v1=${"é".repeat(64)}`],
    ])("R-SEC-1: a malformed signature (%s) is a 401, never a crash", async (_, sig) => {
      expect((await refusal(request({}, { headers: { "x-signature": sig } }))).code).toBe(Code.Unauthenticated);
    });

    it("R-SEC-1: the correct signature in upper case is refused", async () => {
      const req = request();
      const upper = req.headers("x-signature")[0]!.replace(/[a-f]/g, (c) => c.toUpperCase()).replace("V1=", "v1=");
      expect((await refusal(request({}, { headers: { "x-signature": upper } }))).code).toBe(Code.Unauthenticated);
    });

    it.each(["short", "has space in it aaaaaaaaaaa", "a+b/c=d==aaaaaaaaaaaaaaaaa"])("R-SEC-1: a malformed nonce %j is refused", async (nonce) => {
      expect((await refusal(request({}, { headers: { "x-nonce": nonce } }))).code).toBe(Code.Unauthenticated);
    });
  });

  describe("keys", () => {
    it("R-SEC-1: an unknown key id is refused", async () => {
      expect(await refusal(request({ keyId: "nobody" }))).toMatchObject({ reason: "unknown_key" });
    });

    it("R-SEC-6: a key of a disabled tenant is refused (the tenant kill switch)", async () => {
      tenancy = tenancyConfig({}, { enabled: false });
      expect(await refusal(request())).toMatchObject({ reason: "tenant_disabled" });
    });

    it("R-SEC-1: a secret shorter than 32 bytes never verifies", async () => {
      tenancy = tenancyConfig({}, { keys: [{ id: "vvtv-a", secret_env: "KEY_SHORT", scopes: ["infer"] }] });
      expect(buildKeyRing(tenancy, specEnv).problems).toEqual(["tenant vvtv key vvtv-a: KEY_SHORT is shorter than 32 bytes"]);
      expect(await refusal(request({ secret: specEnv.KEY_SHORT! }))).toMatchObject({ reason: "weak_secret" });
    });

    it("R-SEC-1: A/B rotation: both keys verify; after A is removed by a reload only B does", async () => {
      await expect(verifier.verify(request({ keyId: "vvtv-a", secret: SECRET_A }))).resolves.toMatchObject({ principal: "vvtv-a" });
      await expect(verifier.verify(request({ keyId: "vvtv-b", secret: SECRET_B }))).resolves.toMatchObject({ principal: "vvtv-b" });
      tenancy = tenancyConfig({}, { keys: [{ id: "vvtv-b", secret_env: "KEY_VVTV_B", scopes: ["infer"] }] });
      expect(await refusal(request({ keyId: "vvtv-a", secret: SECRET_A }))).toMatchObject({ reason: "unknown_key" });
      await expect(verifier.verify(request({ keyId: "vvtv-b", secret: SECRET_B }))).resolves.toMatchObject({ principal: "vvtv-b" });
      expect(used).toEqual(["vvtv-a", "vvtv-b", "vvtv-b"]);
    });

    it("R-SEC-1: key B's secret does not sign for key A", async () => {
      expect(await refusal(request({ keyId: "vvtv-a", secret: SECRET_B }))).toMatchObject({ reason: "bad_signature" });
    });
  });

  describe("nonces", () => {
    it("R-SEC-2: a bad-signature request does not burn the nonce of a later good one", async () => {
      const nonce = "Zm9yZ2VkLW5vbmNlLTEyMzQ1Ng";
      expect(await refusal(request({ nonce, secret: SECRET_B }))).toMatchObject({ reason: "bad_signature" });
      expect(await refusal(request({ nonce }, { body: Buffer.from("x") }))).toMatchObject({ reason: "bad_signature" });
      expect(nonces.size).toBe(0);
      await expect(verifier.verify(request({ nonce }))).resolves.toBeDefined();
    });

    it("R-SEC-2: nonces are scoped by key id", async () => {
      const nonce = "c2hhcmVkLW5vbmNlLTEyMzQ1Ng";
      await verifier.verify(request({ nonce, keyId: "vvtv-a", secret: SECRET_A }));
      await expect(verifier.verify(request({ nonce, keyId: "vvtv-b", secret: SECRET_B }))).resolves.toBeDefined();
    });

    it("R-SEC-2: a request signed before the nonce store's epoch is refused (the store cannot know its nonce); one signed in the epoch's second passes", async () => {
      const restarted = new HmacVerifier({
        keys: () => buildKeyRing(tenancy, specEnv),
        clockSkewS: () => tenancy.clock_skew_s,
        nonces: new MemoryNonceStore({ clock }),
        clock,
      });
      const refused = await restarted.verify(request({ timestamp: String(NOW_S - 1) })).catch((e: unknown) => e);
      expect(authReasonOf(refused)).toBe("signed_before_store_epoch");
      expect((refused as PoolError).message).toBe((await refusal(request({ keyId: "nobody" }))).message);
      await expect(restarted.verify(request({ timestamp: String(NOW_S) }))).resolves.toBeDefined();
    });

    it("R-SEC-2: a nonce is remembered until its timestamp's window ends, then forgotten", async () => {
      const req = request({ timestamp: String(NOW_S - 100) });
      await verifier.verify(req);
      await clock.advance(399_000); // now - ts = 499 s: the window (300 s) is over
      expect(await refusal(req)).toMatchObject({ reason: "timestamp_skew" });
      await clock.advance(2_000);
      await verifier.verify(request({ timestamp: String(NOW_S + 400) }));
      expect(nonces.size).toBe(1);
    });
  });
});
