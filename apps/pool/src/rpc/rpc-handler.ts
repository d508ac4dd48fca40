import { Code as RpcCode, ConnectError, createConnectRouter, type ConnectRouter } from "@connectrpc/connect";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { Code, PoolError } from "@llm-pool/core";
import type { NodeRequestHandler } from "../server.js";

type NodeServerRequest = Parameters<NodeRequestHandler>[0];
type NodeServerResponse = Parameters<NodeRequestHandler>[1];
import type { EdgeLogger } from "../logger.js";
import { toConnectError } from "./errors.js";
import { guardRequestBody } from "./request-body-guard.js";
import { answerUnimplemented } from "./unimplemented.js";

export interface RpcHandlerOptions {
  /** Registers the services (LlmPoolService, grpc.health.v1.Health). */
  readonly routes: (router: ConnectRouter) => void;
  /** Serves every path that is not an RPC (the REST app). */
  readonly fallback: NodeRequestHandler;
  readonly maxBodyBytes: number;
  readonly logger: EdgeLogger;
}

/**
 * The outer request handler: gRPC, gRPC-Web and Connect for the registered
 * services, everything else to the fallback. It is connect-node's
 * `connectNodeAdapter` plus one step: the request body passes through
 * `guardRequestBody` (size limit while reading, malformed messages as
 * invalid_argument), which the adapter offers no hook for.
 */
export function createRpcHandler(options: RpcHandlerOptions): NodeRequestHandler {
  const router = createConnectRouter({
    // What connectNodeAdapter accepts by default; the guard decompresses the same two.
    acceptCompression: [compressionGzip, compressionBrotli],
    // Strict proto3 JSON, as on REST: unknown fields and enum names are refused.
    jsonOptions: { ignoreUnknownFields: false },
    // A backstop after decompression; the guard already bounds the raw body.
    readMaxBytes: options.maxBodyBytes,
  });
  options.routes(router);
  const byPath = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));

  return function rpcHandler(req, res) {
    const handler = byPath.get((req.url ?? "").split("?", 1)[0]!);
    if (!handler) {
      if (!answerUnimplemented(req, res)) options.fallback(req, res);
      return;
    }
    let uReq: UniversalServerRequest;
    try {
      uReq = universalRequestFromNodeRequest(req, res, undefined, undefined);
    } catch {
      // No :authority or Host: not a request we can route.
      res.writeHead(400).end();
      return;
    }
    handler({ ...uReq, body: guardedBody(uReq, handler, req, res, options) })
      .then((uRes) => universalResponseToNodeResponse(uRes, res))
      .catch((reason: unknown) => {
        if (ConnectError.from(reason).code === RpcCode.Aborted) return;
        options.logger.warn({ err: reason, rpc: handler.method.name }, "RPC response failed");
      });
  };
}

/** The request body as Connect will read it, behind the guard; its failures are ConnectErrors with an ErrorDetail. */
async function* guardedBody(
  uReq: UniversalServerRequest,
  handler: UniversalHandler,
  req: NodeServerRequest,
  res: NodeServerResponse,
  options: RpcHandlerOptions,
): AsyncIterable<Uint8Array> {
  try {
    yield* guardRequestBody(uReq.body as AsyncIterable<Uint8Array>, {
      input: handler.method.input,
      header: uReq.header,
      maxBytes: options.maxBodyBytes,
    });
  } catch (error) {
    if (error instanceof PoolError && error.code === Code.PayloadTooLarge && req.httpVersionMajor === 1) {
      // The rest of the body stays unread: this connection cannot be reused.
      res.setHeader("connection", "close");
    }
    throw error instanceof ConnectError ? error : toConnectError(error, options.logger);
  }
}
