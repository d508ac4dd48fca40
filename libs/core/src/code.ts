/**
 * Code is the closed set of error classes the pool returns. Each has one HTTP
 * status and one gRPC/Connect code, mapped once at the edges (R-API-4).
 * The string values are the stable machine codes clients see.
 */
export enum Code {
  /** A field of the query is missing, malformed or out of bounds. */
  InvalidArgument = "invalid_argument",
  /** No valid credentials. */
  Unauthenticated = "unauthenticated",
  /** Valid credentials that do not allow this query. */
  PermissionDenied = "permission_denied",
  /** The same request_id was used for a different query, or is in flight. */
  Conflict = "conflict",
  /** A rate limit or quota is exhausted. */
  ResourceExhausted = "resource_exhausted",
  /** The request body is larger than `server.max_body_bytes`. */
  PayloadTooLarge = "payload_too_large",
  /** No provider can serve the query now (breakers open, engines down, kill switch). */
  Unavailable = "unavailable",
  /** The deadline passed before an answer was ready. */
  DeadlineExceeded = "deadline_exceeded",
  /** The client went away. */
  Canceled = "canceled",
  /** A route or method that does not exist. */
  NotFound = "not_found",
  /** A bug in the pool; the message never carries internals. */
  Internal = "internal",
}

const values = new Set<string>(Object.values(Code));

export function isCode(value: string): value is Code {
  return values.has(value);
}
