import type { TenancyConfig, TenantConfig } from "@llm-pool/config";
import type { Clock, Identity } from "@llm-pool/core";
import { decodeJwt, errors, jwtVerify } from "jose";
import { permissionDenied, unauthenticated } from "../auth-failure.js";
import { JwksUnavailableError, type KeySet } from "./key-set.js";

/** The scope a token must hold to call Infer. */
export const INFER_SCOPE = "infer";

/** Compact JWS: three base64url parts. Anything else is refused before jose sees it. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

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
 * algorithms only, and a JWKS holds public keys.
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
        requiredClaims: ["exp", "tenant_id", "project_id"],
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw unauthenticated("jwks_unavailable", error.message);
      const code = error instanceof errors.JOSEError ? error.code : "ERR_UNKNOWN";
      throw unauthenticated("token_rejected", `${code}: ${(error as Error).message}`);
    }

    if (payload.tenant_id !== tenant.id) throw unauthenticated("token_rejected", "tenant_id changed");
    const project = payload.project_id;
    if (typeof project !== "string" || !tenant.projects.includes(project)) {
      throw permissionDenied("project_not_allowed", `${tenant.id}/${String(project)}`);
    }
    if (!scopesOf(payload).includes(INFER_SCOPE)) throw permissionDenied("missing_scope", tenant.id);
    const subject = typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : "jwt";
    return { tenantId: tenant.id, projectIds: [project], principal: subject };
  }
}

/** `scopes` as a list of strings, or as one space-separated string (the OAuth `scope` style). */
function scopesOf(payload: Record<string, unknown>): string[] {
  const scopes = payload.scopes;
  if (typeof scopes === "string") return scopes.split(" ").filter(Boolean);
  if (Array.isArray(scopes)) return scopes.filter((s): s is string => typeof s === "string");
  return [];
}
