import { Code as RpcCode, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@llm-pool/contract";
import { Code, PoolError } from "@llm-pool/core";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";

/** The gRPC/Connect code of each pool code (R-API-4). */
export const rpcCodeOf: Readonly<Record<Code, RpcCode>> = {
  [Code.InvalidArgument]: RpcCode.InvalidArgument,
  [Code.Unauthenticated]: RpcCode.Unauthenticated,
  [Code.PermissionDenied]: RpcCode.PermissionDenied,
  [Code.Conflict]: RpcCode.Aborted,
  [Code.ResourceExhausted]: RpcCode.ResourceExhausted,
  [Code.PayloadTooLarge]: RpcCode.ResourceExhausted,
  [Code.Unavailable]: RpcCode.Unavailable,
  [Code.DeadlineExceeded]: RpcCode.DeadlineExceeded,
  [Code.Canceled]: RpcCode.Canceled,
  [Code.NotFound]: RpcCode.NotFound,
  [Code.Internal]: RpcCode.Internal,
};

/**
 * Turns anything thrown behind an RPC into the one ConnectError the client
 * sees: the pool code's gRPC code, the PoolError's message (generic for
 * internal errors, whose cause is logged here and nowhere sent), and an
 * ErrorDetail with the machine code, field and request id. The error's own
 * headers (Retry-After, RateLimit) go into the metadata: trailers on gRPC,
 * headers on Connect.
 */
export function toConnectError(reason: unknown, logger: EdgeLogger, requestId?: string): ConnectError {
  const error = PoolError.from(reason);
  if (requestId) error.withRequestId(requestId);
  if (error.code === Code.Internal) {
    logger.error({ err: error.cause ?? reason, request_id: error.requestId }, "internal error behind an RPC");
  }
  return new ConnectError(
    error.message,
    rpcCodeOf[error.code],
    { ...error.headers, ...(error.requestId ? { [REQUEST_ID_HEADER]: error.requestId } : {}) },
    [
      {
        desc: ErrorDetailSchema,
        value: { code: error.code, field: error.field ?? "", requestId: error.requestId ?? "" },
      },
    ],
  );
}
