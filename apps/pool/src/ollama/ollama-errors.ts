import { Code, PoolError } from "@llm-pool/core";
import { httpStatusOf } from "../http/errors.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";

/**
 * Anything thrown behind the Ollama door as Ollama answers errors: the
 * pool's status (Ollama clients raise it as their ResponseError with that
 * status), `{"error": message}`, `x-request-id`, and a refusal's own headers.
 */
export function ollamaErrorResponse(
  reason: unknown,
  logger: EdgeLogger,
  options: { requestId?: string; status?: number; headers?: Readonly<Record<string, string>> } = {},
): Response {
  const error = PoolError.from(reason);
  if (options.requestId) error.withRequestId(options.requestId);
  if (error.code === Code.Internal) logger.error({ err: error.cause ?? reason, request_id: error.requestId }, "internal error behind the Ollama door");
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", ...error.headers, ...options.headers });
  if (error.requestId) headers.set(REQUEST_ID_HEADER, error.requestId);
  return new Response(JSON.stringify({ error: error.message }), { status: options.status ?? httpStatusOf[error.code], headers });
}
