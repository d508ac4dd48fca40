import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  inferBody,
  rawRequest,
  SECRET_OPS,
  signedHeaders,
  signedInfer,
  startSecuredPool,
  tenancyWithOperator,
  type SecuredPool,
} from "./security-fixture.js";

/** GET /metrics signed with `key` (the tenant's vvtv-a unless told), or unsigned. */
function scrape(pool: SecuredPool, key?: { keyId: string; secret: string } | "none") {
  if (key === "none") return rawRequest(pool.baseUrl, { method: "GET", path: "/metrics" });
  const headers = signedHeaders({ ...key, method: "GET", path: "/metrics", contentType: "" }, pool.clock).filter(([name]) => name !== "content-type");
  return rawRequest(pool.baseUrl, { method: "GET", path: "/metrics", headers });
}

const operator = { keyId: "ops-metrics", secret: SECRET_OPS };

/** What an attacker learns from a family of the operator registry. */
const OPERATOR_ONLY = /llmpool_auth_refused_total|llmpool_auth_key_last_used_seconds|key_id=|reason=/;

describe("/metrics: public families carry no key ids or refusal reasons; operator families need the metrics scope", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool({ tenancy: tenancyWithOperator() });
    // Leave traces in every family: a refusal (missing credentials, bad signature) and a key that verified.
    await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"]], body: inferBody() });
    await signedInfer(pool, { secret: SECRET_OPS });
    expect((await signedInfer(pool)).status).toBe(200);
  });
  afterAll(() => pool.close());
  beforeEach(() => {
    pool.metricsPublic = true;
  });

  it("R-OBS-1: with metrics_public = true anyone reads /metrics, without key ids or per-reason refusal counts", async () => {
    const res = await scrape(pool, "none");
    expect(res.status).toBe(200);
    expect(res.text).toContain("llmpool_config_reload_total");
    expect(res.text).not.toMatch(OPERATOR_ONLY);
    expect(res.text).not.toContain("vvtv-a");
  });

  it("R-SEC-1: with metrics_public = false: no credentials 401, a tenant's infer key 403", async () => {
    pool.metricsPublic = false;
    expect((await scrape(pool, "none")).status).toBe(401);
    const tenant = await scrape(pool);
    expect(tenant.status).toBe(403);
    expect(tenant.json()).toMatchObject({ code: "permission_denied" });
    expect(tenant.text).not.toMatch(OPERATOR_ONLY);
  });

  it("R-OBS-1: a key holding the metrics scope reads the operator families too: key use and refusals by reason", async () => {
    pool.metricsPublic = false;
    const res = await scrape(pool, operator);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^llmpool_auth_key_last_used_seconds\{key_id="vvtv-a",tenant="vvtv"\} \d+$/m);
    expect(res.text).toMatch(/^llmpool_auth_refused_total\{scheme="none",reason="missing_credentials"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^llmpool_auth_refused_total\{scheme="hmac",reason="bad_signature"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^llmpool_auth_refused_total\{scheme="hmac",reason="missing_scope"\} [1-9]\d*$/m);
    expect(res.text).toContain("llmpool_config_reload_total");
  });

  it("R-SEC-1: the operator's metrics key cannot run queries (403)", async () => {
    const res = await signedInfer(pool, { ...operator });
    expect(res.status).toBe(403);
    expect(pool.service.calls.filter((c) => c.ctx.identity?.principal === "ops-metrics")).toHaveLength(0);
  });
});
