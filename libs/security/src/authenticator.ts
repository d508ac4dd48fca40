import type { AuthMode, Scope } from "@llm-pool/config";
import { PoolError, type Identity } from "@llm-pool/core";
import { authReasonOf, permissionDenied, unauthenticated } from "./auth-failure.js";
import type { ApiKeyVerifier } from "./api-key/api-key-verifier.js";
import type { HmacVerifier, RawRequest } from "./hmac/hmac-verifier.js";
import { hasSignatureHeaders } from "./hmac/signature-headers.js";
import { looksLikeJwt, type JwtVerifier } from "./jwt/jwt-verifier.js";
import type { AuthScheme, SecurityObserver } from "./security-observer.js";

/** RFC 9110 §11.1: the scheme is case-insensitive and followed by one or more spaces; then the token68. */
const BEARER = /^bearer +([^\s,]+)$/i;

export interface AuthenticatorDeps {
  /** tenancy.auth of the snapshot in force. */
  readonly mode: () => AuthMode;
  readonly hmac: HmacVerifier;
  readonly jwt: JwtVerifier;
  readonly apiKeys: ApiKeyVerifier;
  readonly observer?: SecurityObserver;
}

/**
 * Decides who is calling, from the raw request, before anything parses the
 * body, and whether that caller may do what the route needs. A request
 * carries either the HMAC headers or one `Authorization: Bearer` token: a
 * JWT (three dot-separated parts) as the mode allows, or else a tenant's
 * API key (R-API-7), which every mode but "none" accepts from the tenants
 * that configure one. Both at once, neither, or a scheme the mode does not
 * accept is refused (401). A proven caller without the route's scope, or
 * without any project for "infer", is refused with 403. With auth = "none"
 * (which the config allows only with allow_unauthenticated) every request
 * passes without an identity.
 */
export class Authenticator {
  readonly #deps: AuthenticatorDeps;

  constructor(deps: AuthenticatorDeps) {
    this.#deps = deps;
  }

  /** The caller of `request`, who must hold `scope`. */
  async authenticate(request: RawRequest, scope: Scope): Promise<Identity | undefined> {
    const mode = this.#deps.mode();
    if (mode === "none") return undefined;
    const authorization = request.headers("authorization");
    const hmac = hasSignatureHeaders(request.headers);
    const token = authorization.length === 1 ? BEARER.exec(authorization[0]!)?.[1] : undefined;
    const scheme: AuthScheme = hmac ? "hmac" : authorization.length === 0 ? "none" : token !== undefined && !looksLikeJwt(token) ? "api_key" : "jwt";
    try {
      if (hmac && authorization.length > 0) throw unauthenticated("ambiguous_credentials");
      let identity: Identity;
      if (scheme === "hmac" && mode !== "jwt") {
        identity = await this.#deps.hmac.verify(request);
      } else if (scheme === "api_key") {
        identity = this.#deps.apiKeys.verify(token!);
      } else if (scheme === "jwt" && mode !== "hmac") {
        if (authorization.length > 1) throw unauthenticated("duplicate_header", "authorization");
        if (token === undefined) throw unauthenticated("malformed_header", "authorization");
        identity = await this.#deps.jwt.verify(token);
      } else {
        throw unauthenticated("missing_credentials", `${scheme} with auth = ${mode}`);
      }
      if (!identity.scopes.includes(scope)) throw permissionDenied("missing_scope", `${identity.principal} lacks ${scope}`);
      if (scope === "infer" && identity.projectIds.length === 0) {
        throw permissionDenied("project_not_allowed", `${identity.principal} holds no project`);
      }
      this.#deps.observer?.authenticated?.(scheme, identity.tenantId, identity.principal);
      return identity;
    } catch (error) {
      const reason = authReasonOf(error);
      if (reason) this.#deps.observer?.refused?.(scheme, reason);
      // Nothing unexpected may turn into a 500 here: an auth step that cannot decide refuses.
      if (error instanceof PoolError) throw error;
      throw unauthenticated("malformed_header", error instanceof Error ? error.message : String(error));
    }
  }
}
