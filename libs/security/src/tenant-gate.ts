import type { TenancyConfig, TenantConfig } from "@llm-pool/config";
import type { Clock, Identity, PolicyQuery, TenantLimits, TokenReservation } from "@llm-pool/core";
import { permissionDenied, unauthenticated } from "./auth-failure.js";
import { LimitExceededError } from "./limit-exceeded.js";
import { checkTenantPolicy } from "./policy/tenant-policy.js";
import { msUntilNextUtcDay, type TokenQuotaStore } from "./quota/token-quota.js";
import { rateLimitHeaders } from "./rate-limit/rate-limit-headers.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { SecurityObserver } from "./security-observer.js";

export interface TenantGateDeps {
  readonly tenancy: () => TenancyConfig;
  readonly limiter: RateLimiter;
  readonly quota: TokenQuotaStore;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
}

/** What an admitted request carries back: the RateLimit fields for the response. */
export interface Admitted {
  readonly projectId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Everything a tenant is allowed (R-SEC-5, R-SEC-6), behind one object that
 * a request meets twice:
 *
 * - `admit`, at the edge right after authentication: the tenant's kill
 *   switch, the project, one token of the {tenant, project} rate limit, and
 *   a day already spent (refused here so its 429 carries Retry-After).
 * - `reserve`, in the orchestrator once the query is validated (only then is
 *   its effective max_tokens known): the cost policy, then max_tokens
 *   reserved against the daily tokens in one atomic step, so concurrent
 *   queries count each other before any has answered. The orchestrator
 *   settles the reservation exactly once with the tokens really used.
 */
export class TenantGate implements TenantLimits {
  readonly #deps: TenantGateDeps;

  constructor(deps: TenantGateDeps) {
    this.#deps = deps;
  }

  /** `projectId` is the Query's project_id ("" for the identity's default), resolved as core's tenant binding does. */
  async admit(identity: Identity, projectId: string): Promise<Admitted> {
    const tenant = this.#deps.tenancy().tenants[identity.tenantId];
    // A reload may have removed or switched off the tenant since its credential was checked.
    if (!tenant) throw unauthenticated("unknown_tenant", identity.tenantId);
    if (!tenant.enabled) throw unauthenticated("tenant_disabled", tenant.id);
    const project = projectId || identity.projectIds[0];
    if (project === undefined || !identity.projectIds.includes(project)) {
      throw permissionDenied("project_not_allowed", `${identity.principal} asked for ${JSON.stringify(projectId)}`);
    }

    const decision = await this.#deps.limiter.consume(`${tenant.id}/${project}`, { rps: tenant.rate_rps, burst: tenant.rate_burst });
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      this.#deps.observer?.rateLimited?.(tenant.id, project);
      throw new LimitExceededError("rate limit exceeded; retry after the time in Retry-After", headers, `${tenant.id}/${project} over ${tenant.rate_rps} rps`);
    }

    const used = await this.#deps.quota.usedToday(tenant.id);
    if (used >= tenant.tokens_per_day) throw this.#daySpent(tenant, used);
    return { projectId: project, headers };
  }

  async reserve(tenant: TenantConfig, query: PolicyQuery): Promise<TokenReservation> {
    checkTenantPolicy(tenant, query);
    const decision = await this.#deps.quota.reserve(tenant.id, query.maxTokens, tenant.tokens_per_day);
    if (!decision.admitted) throw this.#daySpent(tenant, decision.used);
    let settled = false;
    return {
      settle: (usedTokens) => {
        if (settled) return;
        settled = true;
        // Counting must never fail the answer it counts; a lost settlement leaves the reservation counted.
        decision.hold.settle(usedTokens).catch((error: unknown) => this.#deps.observer?.storeFailed?.("quota", error));
      },
    };
  }

  #daySpent(tenant: TenantConfig, used: number): LimitExceededError {
    this.#deps.observer?.quotaExhausted?.(tenant.id);
    const retryAfterS = Math.ceil(msUntilNextUtcDay(this.#deps.clock.now()) / 1000);
    return new LimitExceededError(
      "daily token quota exhausted; retry after the time in Retry-After",
      { "retry-after": String(retryAfterS) },
      `${tenant.id} counted ${used} of ${tenant.tokens_per_day} tokens today`,
    );
  }
}
