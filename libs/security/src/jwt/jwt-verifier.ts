import { SCOPES, type Scope, type TenancyConfig, type TenantConfig } from "@llm-pool/config";
import type { Clock, Identity } from "@llm-pool/core";
import { decodeJwt, errors, jwtVerify } from "jose";
import { permissionDenied, unauthenticated } from "../auth-failure.js";
import { JwksUnavailableError, type KeySet } from "./key-set.js";

/** Compact JWS: three base64url parts. Anything else is refused before jose sees it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a bearer token has a JWT's shape (three dot-separated parts); API keys never do. */
export function looksLikeJwt(token: string): boolean {
  return /^[^.]*\.[^.]*\.[^.]*$/.test(token);
}

export interface JwtVerifierDeps {
  readonly tenancy: () => TenancyConfig;
  /** The key set of a tenant with a [jwt] table. */
  readonly keySet: (tenant: TenantConfig) => KeySet;
  readonly clock: Clock;
  /** Allowed clock difference for exp and nbf, in seconds; default 30. */
  readonly clockToleranceS?: number;
}

/**
 * Verifies a bearer JWT (R-SEC-3). The unverified `tenant_id` claim only
 * picks which tenant's keys, issuer, audience and algorithms to check
 * against; nothing of the token is trusted until jose has verified it.
 * HS* and "none" can never pass: the allow-list holds asymmetric
 * algorithms only, and a JWKS holds public keys. What the token may do
 * (its scopes, and whether it names a project) is decided by the caller
 * of `verify`: a valid token lacking what a route needs is a 403, not a 401.
 */
export class JwtVerifier {
  readonly #deps: JwtVerifierDeps;

  constructor(deps: JwtVerifierDeps) {
    this.#deps = deps;
  }

  async verify(token: string): Promise<Identity> {
    if (token.length > 8_192 || !COMPACT_JWS.test(token)) throw unauthenticated("malformed_token");
    let claimed: unknown;
    try {
      claimed = decodeJwt(token).tenant_id;
    } catch {
      throw unauthenticated("malformed_token");
    }
    const tenant = typeof claimed === "string" ? this.#deps.tenancy().tenants[claimed] : undefined;
    if (!tenant?.jwt) throw unauthenticated("unknown_tenant", String(claimed));
    if (!tenant.enabled) throw unauthenticated("tenant_disabled", tenant.id);

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#deps.keySet(tenant).getKey, {
        algorithms: [...tenant.jwt.algorithms],
        issuer: tenant.jwt.issuer,
        audience: [...tenant.jwt.audience],
        clockTolerance: this.#deps.clockToleranceS ?? 30,
        currentDate: new Date(this.#deps.clock.now()),
        requiredClaims: ["exp", "tenant_id"],
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw unauthenticated("jwks_unavailable", error.message);
      const code = error instanceof errors.JOSEError ? error.code : "ERR_UNKNOWN";
      throw unauthenticated("token_rejected", `${code}: ${(error as Error).message}`);
    }

    if (payload.tenant_id !== tenant.id) throw unauthenticated("token_rejected", "tenant_id changed");
    // Without project_id the token holds no project: it may read /metrics (with that scope) but not infer.
    const project = payload.project_id;
    if (project !== undefined && (typeof project !== "string" || !tenant.projects.includes(project))) {
      throw permissionDenied("project_not_allowed", `${tenant.id}/${String(project)}`);
    }
    const subject = typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : "jwt";
    return { tenantId: tenant.id, projectIds: project === undefined ? [] : [project], principal: subject, scopes: scopesOf(payload) };
  }
}

/** The known scopes in `scopes`: a list of strings, or one space-separated string (the OAuth `scope` style). */
function scopesOf(payload: Record<string, unknown>): Scope[] {
  const scopes = payload.scopes;
  const given = typeof scopes === "string" ? scopes.split(" ") : Array.isArray(scopes) ? scopes : [];
  return SCOPES.filter((scope) => given.includes(scope));
}
