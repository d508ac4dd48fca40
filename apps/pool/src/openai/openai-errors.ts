import { Code, PoolError } from "@llm-pool/core";
import { httpStatusOf } from "../http/errors.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";

/** OpenAI's error `type` for each pool code; the HTTP status is the pool's own (R-API-4). */
const typeOf: Readonly<Record<Code, string>> = {
  [Code.InvalidArgument]: "invalid_request_error",
  [Code.PayloadTooLarge]: "invalid_request_error",
  [Code.Unauthenticated]: "authentication_error",
  [Code.PermissionDenied]: "permission_error",
  [Code.NotFound]: "not_found_error",
  [Code.Conflict]: "conflict_error",
  [Code.ResourceExhausted]: "rate_limit_error",
  [Code.Unavailable]: "service_unavailable_error",
  [Code.DeadlineExceeded]: "timeout_error",
  [Code.Canceled]: "request_cancelled",
  [Code.Internal]: "api_error",
};

/** OpenAI's error object: `{error: {message, type, param, code}}`; `code` is the pool's machine code. */
export function openAiErrorBody(error: PoolError, param: (field: string) => string = (field) => field) {
  return {
    error: {
      message: error.message,
      type: typeOf[error.code],
      param: error.field === undefined ? null : param(error.field),
      code: error.code,
    },
  };
}

/**
 * Anything thrown behind an OpenAI route as OpenAI's error response: the
 * pool's status (401, 429, 503…, which OpenAI clients turn into their typed
 * errors), OpenAI's body, `x-request-id`, and a refusal's own headers
 * (Retry-After and the RateLimit fields). Internal causes are logged only.
 */
export function openAiErrorResponse(
  reason: unknown,
  logger: EdgeLogger,
  options: { requestId?: string; param?: (field: string) => string; headers?: Readonly<Record<string, string>> } = {},
): Response {
  const error = PoolError.from(reason);
  if (options.requestId) error.withRequestId(options.requestId);
  if (error.code === Code.Internal) logger.error({ err: error.cause ?? reason, request_id: error.requestId }, "internal error behind an OpenAI route");
  const headers = new Headers({ "content-type": "application/json", ...error.headers, ...options.headers });
  if (error.requestId) headers.set(REQUEST_ID_HEADER, error.requestId);
  return new Response(JSON.stringify(openAiErrorBody(error, options.param)), { status: httpStatusOf[error.code], headers });
}
