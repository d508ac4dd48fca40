import { Code, PoolError } from "@llm-pool/core";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";

/** The HTTP status of each pool code (R-API-4). 499 is the de-facto "client closed request". */
export const httpStatusOf: Readonly<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.Conflict]: 409,
  [Code.ResourceExhausted]: 429,
  [Code.PayloadTooLarge]: 413,
  [Code.Unavailable]: 503,
  [Code.DeadlineExceeded]: 504,
  [Code.Canceled]: 499,
  [Code.NotFound]: 404,
  [Code.Internal]: 500,
};

/** The JSON error body of REST: the same fields as the RPC ErrorDetail, plus the message. */
export interface ErrorBody {
  readonly code: Code;
  readonly message: string;
  readonly field?: string;
  /** Empty when the request never got an id (e.g. a body that did not parse). */
  readonly request_id: string;
}

/**
 * Turns anything thrown behind a REST route into its one HTTP response:
 * status from the code, `{code, message, field?, request_id}` as body, the
 * error's own headers (Retry-After) and `x-request-id` when known. Internal causes are logged, never sent.
 */
export function errorResponse(
  reason: unknown,
  logger: EdgeLogger,
  options: { requestId?: string; status?: number; headers?: Record<string, string> } = {},
): Response {
  const error = PoolError.from(reason);
  if (options.requestId) error.withRequestId(options.requestId);
  if (error.code === Code.Internal) {
    logger.error({ err: error.cause ?? reason, request_id: error.requestId }, "internal error behind a REST route");
  }
  const body = errorBody(error);
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", ...error.headers, ...options.headers });
  if (error.requestId) headers.set(REQUEST_ID_HEADER, error.requestId);
  return new Response(JSON.stringify(body), { status: options.status ?? httpStatusOf[error.code], headers });
}

/** The REST error body of a PoolError. */
export function errorBody(error: PoolError): ErrorBody {
  return {
    code: error.code,
    message: error.message,
    ...(error.field !== undefined && { field: error.field }),
    request_id: error.requestId ?? "",
  };
}
