import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, endStreamFlag, endStreamToJson, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { Code, PoolError } from "@llm-pool/core";
import { errorResponse } from "../http/errors.js";
import type { EdgeLogger } from "../logger.js";
import { toConnectError } from "../rpc/errors.js";
import type { NodeRequestHandler } from "../server.js";

/** Seconds a refused client should wait; requests here last about a second. */
export const OVERLOAD_RETRY_AFTER_S = 1;

/** `/package.Service/Method`: the path of every RPC, whatever the protocol. */
const RPC_PATH = /^\/[A-Za-z_][\w.]*\.[A-Za-z_]\w*\/[A-Za-z_]\w*$/;

/**
 * Answers a request the server has no room for, before reading its body, in
 * the request's own protocol and with the error shapes of every other pool
 * error: 503 `unavailable` with Retry-After and the REST error body; over
 * gRPC and gRPC-Web a trailers-only UNAVAILABLE with the ErrorDetail in
 * `grpc-status-details-bin`; over Connect the error JSON (unary) or an
 * end-of-stream message (streaming).
 */
export function overloadRefusal(logger: EdgeLogger): NodeRequestHandler {
  return function refuseOverloaded(req, res) {
    const error = new PoolError(
      Code.Unavailable,
      `the server is at its limit of requests in flight; retry after ${OVERLOAD_RETRY_AFTER_S} s`,
    );
    const retryAfter = String(OVERLOAD_RETRY_AFTER_S);
    const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
    const path = (req.url ?? "").split("?", 1)[0]!;
    // The body is never read; on HTTP/1.1 the connection cannot be reused after it.
    if (req.httpVersionMajor === 1) res.setHeader("connection", "close");

    if (contentType.startsWith("application/grpc")) {
      const connectError = toConnectError(error, logger);
      connectError.metadata.set("retry-after", retryAfter);
      const headers = setTrailerStatus(new Headers({ "content-type": contentType.split(";", 1)[0]! }), connectError);
      res.writeHead(200, Object.fromEntries(headers));
      res.end();
      return;
    }
    if (contentType.startsWith("application/connect+")) {
      const connectError = toConnectError(error, logger);
      const endStream = endStreamToJson(new Headers({ "retry-after": retryAfter }), connectError, undefined);
      const body = encodeEnvelope(endStreamFlag, new TextEncoder().encode(JSON.stringify(endStream)));
      res.writeHead(200, { "content-type": contentType.split(";", 1)[0]!, "retry-after": retryAfter });
      res.end(body);
      return;
    }
    if (RPC_PATH.test(path)) {
      const connectError = toConnectError(error, logger);
      res.writeHead(codeToHttpStatus(connectError.code), { "content-type": "application/json", "retry-after": retryAfter });
      res.end(errorToJsonBytes(connectError, undefined));
      return;
    }
    const rest = errorResponse(error, logger, { headers: { "retry-after": retryAfter } });
    void rest.text().then((body) => {
      res.writeHead(rest.status, Object.fromEntries(rest.headers));
      res.end(body);
    });
  };
}
