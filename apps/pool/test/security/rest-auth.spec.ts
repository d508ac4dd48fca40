import { create, toBinary } from "@bufbuild/protobuf";
import { InferRequestSchema, Task } from "@llm-pool/contract";
import { FakeClock } from "@llm-pool/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  INFER_PATH,
  inferBody,
  NOW_S,
  rawRequest,
  SECRET_B,
  signedHeaders,
  signedInfer,
  startSecuredPool,
  tenancyConfig,
  type SecuredPool,
} from "./security-fixture.js";

const UNAUTHENTICATED = { code: "unauthenticated", message: "the request is not authenticated", request_id: "" };

const replace = (name: string, value: string) => (h: [string, string][]) => h.map(([n, v]): [string, string] => [n, n === name ? value : v]);
const drop = (name: string) => (h: [string, string][]) => h.filter(([n]) => n !== name);
const repeat = (name: string, value?: string) => (h: [string, string][]) => [...h, [name, value ?? h.find(([n]) => n === name)![1]] as [string, string]];

describe("REST auth step: HMAC on raw bytes (R-SEC-1, R-SEC-2, R-SEC-4)", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    // A pool up for ten minutes: its nonce store's epoch (the start) is older than any timestamp the window accepts.
    const clock = new FakeClock((NOW_S - 600) * 1000 + 250);
    pool = await startSecuredPool({ clock, server: { maxBodyBytes: 4_096, maxHeaderBytes: 2_048 } });
    await clock.advance(600_000);
  });
  afterAll(() => pool.close());
  beforeEach(() => {
    pool.tenancy = tenancyConfig({}, { rate_burst: 1_000 });
    pool.metricsPublic = true;
    pool.service.calls.length = 0;
  });

  it("R-SEC-1: a signed request is answered, and the service sees the identity", async () => {
    const res = await signedInfer(pool);
    expect(res.status).toBe(200);
    expect(pool.service.calls.at(-1)!.ctx.identity).toEqual({ tenantId: "vvtv", projectIds: ["planner", "curator"], principal: "vvtv-a", scopes: ["infer"] });
  });

  it("R-SEC-1: an unsigned request is 401 and never reaches the service", async () => {
    const res = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"]], body: inferBody() });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(UNAUTHENTICATED);
    expect(pool.service.calls).toHaveLength(0);
  });

  it("R-API-7: the OpenAI door takes a signed request like POST /v1/infer: answered once, its replay 401 in OpenAI's error shape", async () => {
    const body = JSON.stringify({ model: "pool/expand_queries", messages: [{ role: "user", content: "gatos" }] });
    const headers = signedHeaders({ path: "/v1/chat/completions", body }, pool.clock);
    const send = () => rawRequest(pool.baseUrl, { path: "/v1/chat/completions", headers, body });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ object: "chat.completion" });
    expect(pool.service.calls.at(-1)!.ctx.identity).toMatchObject({ tenantId: "vvtv", principal: "vvtv-a" });
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(replay.json()).toMatchObject({ error: { type: "authentication_error", code: "unauthenticated" } });
  });

  it("R-SEC-2: a replayed request is 401 (one process)", async () => {
    const headers = signedHeaders({ body: inferBody() }, pool.clock);
    const send = () => rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody() });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect(again.status).toBe(401);
    expect(again.json()).toEqual(UNAUTHENTICATED);
  });

  it("R-SEC-2: of 20 concurrent copies exactly one is accepted", async () => {
    const headers = signedHeaders({ body: inferBody() }, pool.clock);
    const results = await Promise.all(Array.from({ length: 20 }, () => rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody() })));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array<number>(19).fill(401)]);
  });

  it.each([
    ["300 s in the past (boundary)", NOW_S - 300, 200],
    ["301 s in the past", NOW_S - 301, 401],
    ["300 s in the future (boundary)", NOW_S + 300, 200],
    ["301 s in the future", NOW_S + 301, 401],
  ])("R-SEC-2: timestamp %s -> %i", async (_, timestamp, status) => {
    expect((await signedInfer(pool, { timestamp })).status).toBe(status);
  });

  it.each(["abc", "1e9", "-1", String(NOW_S * 1000), `${NOW_S}.0`, `${NOW_S}.5`, ""])("R-SEC-2: malformed timestamp %j -> 401", async (ts) => {
    const res = await signedInfer(pool, {}, replace("x-timestamp", ts));
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(UNAUTHENTICATED);
  });

  describe("tampering after signing", () => {
    it("R-SEC-1: body", async () => {
      const headers = signedHeaders({ body: inferBody("a") }, pool.clock);
      expect((await rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody("b") })).status).toBe(401);
    });
    it("R-SEC-1: path", async () => {
      const headers = signedHeaders({ body: inferBody(), path: "/v1/other" }, pool.clock);
      expect((await rawRequest(pool.baseUrl, { path: "/v1/infer", headers, body: inferBody() })).status).toBe(401);
    });
    it("R-SEC-1: query", async () => {
      const headers = signedHeaders({ body: inferBody(), path: "/v1/infer?x=1" }, pool.clock);
      expect((await rawRequest(pool.baseUrl, { path: "/v1/infer?x=2", headers, body: inferBody() })).status).toBe(401);
      const again = signedHeaders({ body: inferBody(), path: "/v1/infer?b=2&a=1" }, pool.clock);
      expect((await rawRequest(pool.baseUrl, { path: "/v1/infer?a=1&b=2", headers: again, body: inferBody() })).status).toBe(200);
    });
    it("R-SEC-1: content type", async () => {
      expect((await signedInfer(pool, {}, replace("content-type", "text/plain"))).status).toBe(401);
    });
    it("R-SEC-1: key id", async () => {
      expect((await signedInfer(pool, {}, replace("x-api-key", "vvtv-b"))).status).toBe(401);
    });
  });

  describe("each header missing, empty or duplicated is a 401, never a 500", () => {
    for (const name of ["x-api-key", "x-timestamp", "x-nonce", "x-signature"]) {
      it(`R-SEC-1: ${name} missing`, async () => {
        expect((await signedInfer(pool, {}, drop(name))).status).toBe(401);
      });
      it(`R-SEC-1: ${name} empty`, async () => {
        expect((await signedInfer(pool, {}, replace(name, ""))).status).toBe(401);
      });
      it(`R-SEC-1: ${name} duplicated with the same value (Node would join them with ", ")`, async () => {
        expect((await signedInfer(pool, {}, repeat(name))).status).toBe(401);
      });
    }
    it("R-SEC-1: content-type duplicated", async () => {
      expect((await signedInfer(pool, {}, repeat("content-type"))).status).toBe(401);
    });
  });

  it.each([
    ["wrong length", "v1=abc"],
    ["upper case", `v1=${"AB".repeat(32)}`],
    ["another prefix", `v2=${"ab".repeat(32)}`],
    ["no prefix", "ab".repeat(32)],
    ["garbage", "\u00ff\u00fe"],
  ])("R-SEC-1: malformed signature (%s) -> 401", async (_, sig) => {
    expect((await signedInfer(pool, {}, replace("x-signature", sig))).status).toBe(401);
  });

  it("R-SEC-1: the signature covers the bytes sent: the same Query serialized with its meta entries in another order is 401", async () => {
    const message = (meta: Record<string, string>) => create(InferRequestSchema, { query: { task: Task.JUDGE, prompt: "order", meta } });
    const signedBytes = toBinary(InferRequestSchema, message({ a: "1", b: "2" }));
    const sameMessage = toBinary(InferRequestSchema, message({ b: "2", a: "1" }));
    expect(Buffer.from(sameMessage).equals(Buffer.from(signedBytes))).toBe(false);
    const headers = () => [...signedHeaders({ path: INFER_PATH, contentType: "application/proto", body: signedBytes }, pool.clock), ["connect-protocol-version", "1"] as [string, string]];
    expect((await rawRequest(pool.baseUrl, { path: INFER_PATH, headers: headers(), body: sameMessage })).status).toBe(401);
    expect((await rawRequest(pool.baseUrl, { path: INFER_PATH, headers: headers(), body: signedBytes })).status).toBe(200);
    const signedJson = '{"task":"TASK_JUDGE","prompt":"order","meta":{"a":"1","b":"2"}}';
    const reordered = '{"task":"TASK_JUDGE","prompt":"order","meta":{"b":"2","a":"1"}}';
    expect((await signedInfer(pool, { body: signedJson })).status).toBe(200);
    const sentOther = signedHeaders({ body: signedJson }, pool.clock);
    expect((await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: sentOther, body: reordered })).status).toBe(401);
  });

  it("R-SEC-1: unknown key and a disabled tenant's key -> 401", async () => {
    expect((await signedInfer(pool, { keyId: "ghost" })).status).toBe(401);
    pool.tenancy = tenancyConfig({}, { enabled: false });
    expect((await signedInfer(pool)).status).toBe(401);
  });

  it("R-SEC-1: A/B rotation by reload: add B, both work; drop A, only B", async () => {
    pool.tenancy = tenancyConfig({}, { keys: [{ id: "vvtv-a", secret_env: "KEY_VVTV_A", scopes: ["infer"] }] });
    expect((await signedInfer(pool, { keyId: "vvtv-b", secret: SECRET_B })).status).toBe(401);
    pool.tenancy = tenancyConfig();
    expect((await signedInfer(pool)).status).toBe(200);
    expect((await signedInfer(pool, { keyId: "vvtv-b", secret: SECRET_B })).status).toBe(200);
    pool.tenancy = tenancyConfig({}, { keys: [{ id: "vvtv-b", secret_env: "KEY_VVTV_B", scopes: ["infer"] }] });
    expect((await signedInfer(pool)).status).toBe(401);
    expect((await signedInfer(pool, { keyId: "vvtv-b", secret: SECRET_B })).status).toBe(200);
  });

  it("R-SEC-4: a Query naming a project the identity does not hold is 403", async () => {
    const res = await signedInfer(pool, { body: inferBody("x", { projectId: "ops" }) });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ code: "permission_denied" });
    expect(pool.service.calls).toHaveLength(0);
  });

  it("R-SEC-4: a Query naming another tenant reaches core's binding with the identity (403 there)", async () => {
    // The edge passes the identity; core's bindTenant refuses tenant_id "other" for vvtv's key.
    const res = await signedInfer(pool, { body: inferBody("x", { tenantId: "other" }) });
    expect(res.status).toBe(200);
    expect(pool.service.calls.at(-1)!.ctx.identity?.tenantId).toBe("vvtv");
    expect(pool.service.calls.at(-1)!.query.tenantId).toBe("other");
  });

  it("R-SEC-2: a bad-signature request does not burn the nonce of a later good one", async () => {
    const nonce = "bGF0ZXItZ29vZC1yZXF1ZXN0";
    expect((await signedInfer(pool, { nonce, secret: SECRET_B })).status).toBe(401);
    expect((await signedInfer(pool, { nonce })).status).toBe(200);
  });

  it("oversize header -> 431, oversize body -> 413 (signed or not)", async () => {
    const big = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["x-filler", "a".repeat(3_000)]], body: inferBody() });
    expect(big.status).toBe(431);
    const body = inferBody("x".repeat(5_000));
    expect((await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"]], body })).status).toBe(413);
    expect((await signedInfer(pool, { body })).status).toBe(413);
  });

  it("the public list answers without credentials; /metrics only when metrics_public", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      expect((await rawRequest(pool.baseUrl, { method: "GET", path })).status, path).toBe(200);
    }
    pool.metricsPublic = false;
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/metrics" })).status).toBe(401);
    const headers = signedHeaders({ method: "GET", path: "/metrics", contentType: "" }, pool.clock).filter(([n]) => n !== "content-type");
    // A tenant's key holds "infer", not "metrics" (metrics-access.spec.ts).
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/metrics", headers })).status).toBe(403);
  });

  it("unknown paths and wrong methods need credentials too (no route ships unprotected)", async () => {
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/v1/admin" })).status).toBe(401);
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/v1/infer" })).status).toBe(401);
  });

  it("R-SEC-4: error bodies are identical whatever check failed", async () => {
    const bodies = new Set<string>();
    for (const res of [
      await signedInfer(pool, { keyId: "ghost" }),
      await signedInfer(pool, { timestamp: NOW_S - 999 }),
      await signedInfer(pool, {}, drop("x-nonce")),
      await signedInfer(pool, { secret: SECRET_B }),
    ]) {
      expect(res.status).toBe(401);
      bodies.add(res.text);
    }
    expect(bodies.size).toBe(1);
  });

  it("auth = none with allow_unauthenticated passes with no identity", async () => {
    pool.tenancy = tenancyConfig({ auth: "none", allow_unauthenticated: true });
    const res = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"]], body: inferBody() });
    expect(res.status).toBe(200);
    expect(pool.service.calls.at(-1)!.ctx.identity).toBeUndefined();
  });

  it("no request above answered 500", () => {
    expect(pool.errors).toEqual([]);
  });
});
