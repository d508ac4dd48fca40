import type { TenancyConfig } from "@llm-pool/config";
import { Code, FakeClock, PoolError, type PolicyQuery } from "@llm-pool/core";
import { tenancyConfig } from "@llm-pool/security/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { LimitExceededError } from "./limit-exceeded.js";
import { MemoryTokenQuotaStore } from "./quota/memory.js";
import type { TokenQuotaStore } from "./quota/token-quota.js";
import { MemoryRateLimiter } from "./rate-limit/memory.js";
import { TenantGate } from "./tenant-gate.js";

const identity = { tenantId: "vvtv", projectIds: ["planner", "curator"], principal: "vvtv-a", scopes: ["infer"] };
const query = (maxTokens: number): PolicyQuery => ({ task: "expand_queries", strategy: "FASTEST", maxTokens, deadlineMs: 1000 });

describe("TenantGate: kill switch, rate limit, cost policy, daily tokens (R-SEC-5, R-SEC-6)", () => {
  let clock: FakeClock;
  let tenancy: TenancyConfig;
  let quota: TokenQuotaStore;
  let gate: TenantGate;
  const failures: unknown[] = [];
  const vvtv = () => tenancy.tenants["vvtv"]!;

  beforeEach(() => {
    clock = new FakeClock(Date.UTC(2027, 0, 15, 23, 59, 0));
    tenancy = tenancyConfig({}, { rate_rps: 1, rate_burst: 2, tokens_per_day: 100 });
    quota = new MemoryTokenQuotaStore({ clock });
    failures.length = 0;
    gate = new TenantGate({
      tenancy: () => tenancy,
      limiter: new MemoryRateLimiter({ clock }),
      quota,
      clock,
      observer: { storeFailed: (_store, error) => failures.push(error) },
    });
  });

  it("R-SEC-5: admits up to the burst per {tenant, project}, then 429 with Retry-After and RateLimit headers", async () => {
    expect(await gate.admit(identity, "")).toEqual({
      projectId: "planner",
      headers: { "ratelimit-policy": '"infer";q=2;w=2', ratelimit: '"infer";r=1;t=1' },
    });
    await gate.admit(identity, "planner");
    const error = await gate.admit(identity, "planner").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).code).toBe(Code.ResourceExhausted);
    expect((error as LimitExceededError).headers).toEqual({ "ratelimit-policy": '"infer";q=2;w=2', ratelimit: '"infer";r=0;t=2', "retry-after": "1" });
    await expect(gate.admit(identity, "curator")).resolves.toMatchObject({ projectId: "curator" });
  });

  it("R-SEC-4: a project the identity does not hold is 403 before any bucket is touched", async () => {
    await expect(gate.admit(identity, "ops")).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("R-SEC-6: the tenant kill switch, flipped by a reload, refuses at once", async () => {
    await gate.admit(identity, "");
    tenancy = tenancyConfig({}, { enabled: false });
    await expect(gate.admit(identity, "")).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("R-SEC-6: the cost policy refuses before any token is reserved", async () => {
    tenancy = tenancyConfig({}, { allowed_tasks: ["judge"], tokens_per_day: 100 });
    await expect(gate.reserve(vvtv(), query(10))).rejects.toMatchObject({ code: Code.PermissionDenied, field: "task" });
    expect(await quota.usedToday("vvtv")).toBe(0);
  });

  it("R-SEC-6: a query reserves its max_tokens; settling replaces them with the tokens used, once", async () => {
    const reservation = await gate.reserve(vvtv(), query(40));
    expect(await quota.usedToday("vvtv")).toBe(40);
    reservation.settle(25);
    reservation.settle(99); // a second settlement is ignored
    await clock.advance(0);
    expect(await quota.usedToday("vvtv")).toBe(25);
  });

  it("R-SEC-6: of 8 concurrent queries of max_tokens 10 against 60 tokens/day, 6 are admitted and the others are 429 until the next UTC day", async () => {
    tenancy = tenancyConfig({}, { tokens_per_day: 60 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => gate.reserve(vvtv(), query(10))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    const refusal = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as LimitExceededError;
    expect(refusal).toBeInstanceOf(PoolError);
    expect(refusal.code).toBe(Code.ResourceExhausted);
    expect(refusal.headers).toEqual({ "retry-after": "60" });
    // The edge refuses a spent day too, with the same Retry-After.
    await expect(gate.admit(identity, "")).rejects.toMatchObject({ code: Code.ResourceExhausted, headers: { "retry-after": "60" } });
    await clock.advance(60_000);
    await expect(gate.reserve(vvtv(), query(10))).resolves.toBeDefined();
  });

  it("R-SEC-6: a release (settle 0) gives the reserved tokens back to the day", async () => {
    tenancy = tenancyConfig({}, { tokens_per_day: 10 });
    const held = await gate.reserve(vvtv(), query(10));
    await expect(gate.reserve(vvtv(), query(10))).rejects.toMatchObject({ code: Code.ResourceExhausted });
    held.settle(0);
    await clock.advance(0);
    await expect(gate.reserve(vvtv(), query(10))).resolves.toBeDefined();
  });

  it("a settlement the store cannot record is reported, never thrown at the answer it counts", async () => {
    const broken: TokenQuotaStore = {
      usedToday: async () => 0,
      reserve: async () => ({ admitted: true, hold: { settle: () => Promise.reject(new Error("Connection is closed.")) } }),
    };
    const gateOnBroken = new TenantGate({ tenancy: () => tenancy, limiter: new MemoryRateLimiter({ clock }), quota: broken, clock, observer: { storeFailed: (_s, e) => failures.push(e) } });
    const reservation = await gateOnBroken.reserve(vvtv(), query(10));
    expect(() => reservation.settle(5)).not.toThrow();
    await clock.advance(0);
    expect(failures).toHaveLength(1);
  });
});
