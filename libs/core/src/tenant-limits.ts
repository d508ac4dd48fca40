import type { StrategyName, TaskName, TenantConfig } from "@llm-pool/config";

/** What the tenant's limits see of a validated query: task defaults applied and lowered to the tenant's caps. */
export interface PolicyQuery {
  readonly task: TaskName;
  readonly strategy: StrategyName;
  /** The effective max_tokens: the query's own, or the task default capped by the tenant. */
  readonly maxTokens: number;
  /** The effective deadline in ms, resolved the same way. */
  readonly deadlineMs: number;
}

/**
 * A tenant's cost policy and daily tokens (R-SEC-6), as the orchestrator
 * applies them; @llm-pool/security implements it (TenantGate), so core
 * needs no security import.
 */
export interface TenantLimits {
  /**
   * Checks the tenant's policy and reserves `query.maxTokens` of its daily
   * tokens. Throws a PoolError to refuse (the policy's field, or
   * resource_exhausted when the day is spent).
   */
  reserve(tenant: TenantConfig, query: PolicyQuery): Promise<TokenReservation>;
}

/** Tokens held for one query until it has answered or failed. */
export interface TokenReservation {
  /**
   * Replaces the reservation with the tokens the query's engines used: the
   * answer's total usage, or 0 when no engine ran for it (a cache hit, a
   * shared or replayed answer) or it failed. Called exactly once; never throws.
   */
  settle(usedTokens: number): void;
}
