import type { TenantConfig } from "@llm-pool/config";
import { Code, PoolError, invalidArgument, type PolicyQuery } from "@llm-pool/core";

/** What the run must respect once the policy admits the query. */
export interface PolicyLimits {
  /** Providers the ensemble may run at once for this tenant (hedges and candidates alike). */
  readonly maxParallelProviders: number;
}

/**
 * A tenant's cost policy (R-SEC-6), as a pure function, applied by
 * TenantGate.reserve once core has validated the query: the
 * tenant's kill switch, allowed tasks and strategies, and its caps on
 * max_tokens and deadline_ms (already at most the [qos] ones). Throws a
 * PoolError naming the field; returns the limits the run must keep.
 */
export function checkTenantPolicy(tenant: TenantConfig, query: PolicyQuery): PolicyLimits {
  if (!tenant.enabled) {
    throw new PoolError(Code.PermissionDenied, "this tenant is switched off by the operator", { field: "tenant_id" });
  }
  if (!tenant.allowed_tasks.includes(query.task)) {
    throw new PoolError(Code.PermissionDenied, `task: ${query.task} is not allowed for this tenant`, { field: "task" });
  }
  if (!tenant.allowed_strategies.includes(query.strategy)) {
    throw new PoolError(Code.PermissionDenied, `strategy: ${query.strategy} is not allowed for this tenant`, {
      field: "strategy",
    });
  }
  if (query.maxTokens > tenant.max_tokens) {
    throw invalidArgument("max_tokens", `${query.maxTokens} is above this tenant's cap of ${tenant.max_tokens}`);
  }
  if (query.deadlineMs > tenant.max_deadline_ms) {
    throw invalidArgument("deadline_ms", `${query.deadlineMs} ms is above this tenant's max_deadline_ms = ${tenant.max_deadline_ms} ms`);
  }
  return { maxParallelProviders: tenant.max_parallel_providers };
}
