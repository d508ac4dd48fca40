import { Code, PoolError } from "@llm-pool/core";

/**
 * Why a request was refused. The reason goes to logs and metrics only: every
 * refusal of one class has the same message on the wire, so a client cannot
 * probe which check failed (R-SEC-4).
 */
export type AuthReason =
  | "missing_credentials"
  | "ambiguous_credentials"
  | "missing_header"
  | "duplicate_header"
  | "malformed_header"
  | "malformed_timestamp"
  | "timestamp_skew"
  | "unknown_key"
  | "tenant_disabled"
  | "weak_secret"
  | "malformed_query"
  | "bad_signature"
  | "replayed_nonce"
  | "signed_before_store_epoch"
  | "malformed_token"
  | "token_rejected"
  | "jwks_unavailable"
  | "unknown_tenant"
  | "project_not_allowed"
  | "missing_scope"
  | "store_unavailable";

const UNAUTHENTICATED_MESSAGE = "the request is not authenticated";
const DENIED_MESSAGE = "this identity may not make this request";
const UNAVAILABLE_MESSAGE = "the request cannot be authenticated right now; retry later";

/** The reason a PoolError raised by this package carries, for logs and metrics. */
export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly reason: AuthReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

export function unauthenticated(reason: AuthReason, detail?: string): PoolError {
  return new PoolError(Code.Unauthenticated, UNAUTHENTICATED_MESSAGE, { cause: new AuthFailure(reason, detail) });
}

export function permissionDenied(reason: AuthReason, detail?: string): PoolError {
  return new PoolError(Code.PermissionDenied, DENIED_MESSAGE, { cause: new AuthFailure(reason, detail) });
}

/** A store the check depends on (Redis) is down and the configured behaviour is to refuse: 503. */
export function authUnavailable(reason: AuthReason, cause?: unknown): PoolError {
  const failure = new AuthFailure(reason, cause instanceof Error ? cause.message : undefined);
  return new PoolError(Code.Unavailable, UNAVAILABLE_MESSAGE, { cause: failure });
}

/** The reason behind a refusal from this package, or undefined for any other error. */
export function authReasonOf(error: unknown): AuthReason | undefined {
  return error instanceof PoolError && error.cause instanceof AuthFailure ? error.cause.reason : undefined;
}
