import type { TenancyConfig } from "@llm-pool/config";
import { Code, PoolError, type Clock, type Identity } from "@llm-pool/core";
import { permissionDenied, unauthenticated } from "./auth-failure.js";
import { msUntilNextUtcDay, type TokenQuotaStore } from "./quota/token-quota.js";
import { rateLimitHeaders } from "./rate-limit/rate-limit-headers.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { SecurityObserver } from "./security-observer.js";

/**
 * A refusal that tells the client when to come back: 429 resource_exhausted
 * with `headers` (Retry-After and the RateLimit fields) for the edges to put
 * on the HTTP response or into the gRPC metadata.
 */
export class LimitExceededError extends PoolError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, headers: Record<string, string>, cause: string) {
    super(Code.ResourceExhausted, message, { cause: new Error(cause) });
    this.headers = headers;
  }
}

export interface AdmissionDeps {
  readonly tenancy: () => TenancyConfig;
  readonly limiter: RateLimiter;
  readonly quota?: TokenQuotaStore;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
}

/** What an admitted request carries back: the RateLimit fields for the response. */
export interface Admitted {
  readonly projectId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The per-request limits after authentication (R-SEC-5, R-SEC-6): the
 * tenant's kill switch, one token from the {tenant, project} bucket, and
 * the tenant's daily token quota. `projectId` is the Query's project_id
 * ("" for the identity's default), resolved as core's tenant binding does.
 */
export class Admission {
  readonly #deps: AdmissionDeps;

  constructor(deps: AdmissionDeps) {
    this.#deps = deps;
  }

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

    if (this.#deps.quota) {
      const used = await this.#deps.quota.usedToday(tenant.id);
      if (used >= tenant.tokens_per_day) {
        this.#deps.observer?.quotaExhausted?.(tenant.id);
        const retryAfterS = Math.ceil(msUntilNextUtcDay(this.#deps.clock.now()) / 1000);
        throw new LimitExceededError(
          "daily token quota exhausted; retry after the time in Retry-After",
          { "retry-after": String(retryAfterS) },
          `${tenant.id} used ${used} of ${tenant.tokens_per_day} tokens today`,
        );
      }
    }
    return { projectId: project, headers };
  }

  /** Adds an answer's reported tokens to the tenant's day. */
  async recordUsage(tenantId: string, tokens: number): Promise<void> {
    if (this.#deps.quota && tokens > 0) await this.#deps.quota.add(tenantId, tokens);
  }
}
