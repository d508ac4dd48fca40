import { Code } from "@llm-pool/core";
import { tenantConfig } from "@llm-pool/security/test-support";
import { describe, expect, it } from "vitest";
import { checkTenantPolicy } from "./tenant-policy.js";

const query = { task: "judge", strategy: "FASTEST", maxTokens: 128, deadlineMs: 1000 } as const;

describe("checkTenantPolicy (R-SEC-6)", () => {
  const tenant = tenantConfig("vvtv", {
    allowed_tasks: ["judge", "expand_queries"],
    allowed_strategies: ["FASTEST", "JUDGE"],
    max_tokens: 256,
    max_deadline_ms: 1200,
    max_parallel_providers: 2,
  });

  it("R-SEC-6: a query within the policy gets the tenant's parallelism cap", () => {
    expect(checkTenantPolicy(tenant, query)).toEqual({ maxParallelProviders: 2 });
  });

  it.each([
    ["a task not allowed", { task: "recovery_plan" }, Code.PermissionDenied, "task"],
    ["a strategy not allowed", { strategy: "VOTING" }, Code.PermissionDenied, "strategy"],
    ["max_tokens above the tenant cap", { maxTokens: 257 }, Code.InvalidArgument, "max_tokens"],
    ["deadline_ms above the tenant cap", { deadlineMs: 1201 }, Code.InvalidArgument, "deadline_ms"],
  ] as const)("R-SEC-6: %s is refused, naming the field", (_, change, code, field) => {
    expect(() => checkTenantPolicy(tenant, { ...query, ...change })).toThrow(expect.objectContaining({ code, field }));
  });

  it("R-SEC-6: a disabled tenant is refused (kill switch)", () => {
    expect(() => checkTenantPolicy({ ...tenant, enabled: false }, query)).toThrow(expect.objectContaining({ code: Code.PermissionDenied }));
  });
});
