import type { TenancyConfig } from "@llm-pool/config";
import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { beforeEach, describe, expect, it } from "vitest";
import { Admission, LimitExceededError } from "./admission.js";
import { MemoryTokenQuotaStore } from "./quota/token-quota.js";
import { MemoryRateLimiter } from "./rate-limit/memory.js";
import { tenancyConfig } from "./spec-helpers.js";

const identity = { tenantId: "vvtv", projectIds: ["planner", "curator"], principal: "vvtv-a", scopes: ["infer"] };

describe("Admission: kill switch, rate limit, daily tokens (R-SEC-5, R-SEC-6)", () => {
  let clock: FakeClock;
  let tenancy: TenancyConfig;
  let admission: Admission;

  beforeEach(() => {
    clock = new FakeClock(Date.UTC(2027, 0, 15, 23, 59, 0));
    tenancy = tenancyConfig({}, { rate_rps: 1, rate_burst: 2, tokens_per_day: 100 });
    admission = new Admission({ tenancy: () => tenancy, limiter: new MemoryRateLimiter({ clock }), quota: new MemoryTokenQuotaStore({ clock }), clock });
  });

  it("R-SEC-5: admits up to the burst per {tenant, project}, then 429 with Retry-After and RateLimit headers", async () => {
    expect(await admission.admit(identity, "")).toEqual({
      projectId: "planner",
      headers: { "ratelimit-policy": '"infer";q=2;w=2', ratelimit: '"infer";r=1;t=1' },
    });
    await admission.admit(identity, "planner");
    const error = await admission.admit(identity, "planner").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).code).toBe(Code.ResourceExhausted);
    expect((error as LimitExceededError).headers).toEqual({ "ratelimit-policy": '"infer";q=2;w=2', ratelimit: '"infer";r=0;t=2', "retry-after": "1" });
    await expect(admission.admit(identity, "curator")).resolves.toMatchObject({ projectId: "curator" });
  });

  it("R-SEC-4: a project the identity does not hold is 403 before any bucket is touched", async () => {
    await expect(admission.admit(identity, "ops")).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("R-SEC-6: the tenant kill switch, flipped by a reload, refuses at once", async () => {
    await admission.admit(identity, "");
    tenancy = tenancyConfig({}, { enabled: false });
    await expect(admission.admit(identity, "")).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("R-SEC-6: tokens per day from reported usage: refused once spent, until the next UTC day", async () => {
    await admission.recordUsage("vvtv", 60);
    await admission.admit(identity, "planner");
    await admission.recordUsage("vvtv", 40);
    await clock.advance(2_000);
    const error = (await admission.admit(identity, "curator").catch((e: unknown) => e)) as LimitExceededError;
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.headers).toEqual({ "retry-after": "58" });
    await clock.advance(58_000);
    await expect(admission.admit(identity, "curator")).resolves.toBeDefined();
  });
});
