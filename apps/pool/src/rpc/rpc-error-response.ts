import type { ConnectError } from "@connectrpc/connect";
import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, createEndStreamSerialization, endStreamFlag, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import type { NodeRequestHandler } from "../server.js";
import { mediaTypeOf, type RpcProtocol } from "./rpc-protocol.js";

type Req = Parameters<NodeRequestHandler>[0];
type Res = Parameters<NodeRequestHandler>[1];

const endStream = createEndStreamSerialization({});

/**
 * Answers an RPC the edge refuses before any handler runs (auth, limits,
 * an unknown method, a body over the limit) in the shape its protocol
 * expects, with Connect's own serializers:
 *
 * - gRPC: trailers-only, one HEADERS frame with grpc-status, grpc-message
 *   and grpc-status-details-bin and END_STREAM. (Node's compat response
 *   puts END_STREAM on the headers only when `end()` comes before any
 *   `writeHead()`; headers then an empty DATA frame read as "Stream
 *   removed" in grpcio.)
 * - gRPC-Web: HTTP 200 with the status in a trailer frame of the body, as
 *   connect-node sends it (browsers may not see response headers).
 * - Connect streaming: HTTP 200 with an end-stream message.
 * - Connect unary (and GET, and anything else on an RPC path): the HTTP
 *   status of the code, or `httpStatus` when the pool's table says more
 *   (413 for a body over the limit), and the JSON error body.
 */
export function answerRpcError(req: Req, res: Res, protocol: RpcProtocol, error: ConnectError, httpStatus?: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const type = mediaTypeOf(req.headers);
  res.statusCode = 200;
  switch (protocol) {
    case "grpc":
      res.setHeader("content-type", type);
      setTrailerStatus(new Headers(), error).forEach((value, name) => res.setHeader(name, value));
      res.end();
      return;
    case "grpc-web":
      res.setHeader("content-type", type);
      res.end(encodeEnvelope(trailerFlag, trailerSerialize(setTrailerStatus(new Headers(), error))));
      return;
    case "connect-stream":
      res.setHeader("content-type", type);
      res.end(encodeEnvelope(endStreamFlag, endStream.serialize({ metadata: error.metadata, error })));
      return;
    case "connect-unary":
      res.statusCode = httpStatus ?? codeToHttpStatus(error.code);
      error.metadata.forEach((value, name) => res.setHeader(name, value));
      res.setHeader("content-type", "application/json");
      res.end(errorToJsonBytes(error, {}));
      return;
  }
}
