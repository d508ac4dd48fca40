import { Code as RpcCode, ConnectError, createConnectRouter, createContextValues, type ConnectRouter } from "@connectrpc/connect";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import type { Query } from "@llm-pool/contract";
import { Code, PoolError } from "@llm-pool/core";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { edgeRequestOf } from "../auth/edge-request.js";
import { identityKey } from "../auth/identity-key.js";
import type { NodeRequestHandler } from "../server.js";

type NodeServerRequest = Parameters<NodeRequestHandler>[0];
type NodeServerResponse = Parameters<NodeRequestHandler>[1];
import type { EdgeLogger } from "../logger.js";
import { toConnectError } from "./errors.js";
import { guardRequestBody, type GuardedRequest } from "./request-body-guard.js";
import { answerUnimplemented } from "./unimplemented.js";

export interface RpcHandlerOptions {
  /** Registers the services (LlmPoolService, grpc.health.v1.Health). */
  readonly routes: (router: ConnectRouter) => void;
  /** Serves every path that is not an RPC (the REST app). */
  readonly fallback: NodeRequestHandler;
  readonly maxBodyBytes: number;
  readonly logger: EdgeLogger;
  /** The auth step, run on the raw body of every RPC outside the public list. */
  readonly auth: EdgeAuth;
}

/**
 * The outer request handler: gRPC, gRPC-Web and Connect for the registered
 * services, everything else to the fallback. It is connect-node's
 * `connectNodeAdapter` plus one step: the request body passes through
 * `guardRequestBody` (size limit while reading, auth on the raw bytes,
 * malformed messages as invalid_argument, admission of the Query), which
 * the adapter offers no hook for. The identity reaches the service through
 * the handler's context values.
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
    const contextValues = createContextValues();
    /** RateLimit fields of an admitted call, for the response headers. */
    const admitted: Record<string, string> = {};
    try {
      uReq = universalRequestFromNodeRequest(req, res, undefined, contextValues);
    } catch {
      // No :authority or Host: not a request we can route.
      res.writeHead(400).end();
      return;
    }
    const guard = options.auth.isPublic(handler.requestPath)
      ? {}
      : {
          async authorize(bytes: Uint8Array) {
            contextValues.set(identityKey, await options.auth.authenticate(edgeRequestOf(req, bytes)));
          },
          async admit(message: unknown) {
            const query = (message as { query?: Query } | undefined)?.query;
            Object.assign(admitted, await options.auth.admit(contextValues.get(identityKey), query));
          },
        };
    handler({ ...uReq, body: guardedBody(uReq, handler, req, res, options, guard) })
      .then((uRes) => {
        for (const [name, value] of Object.entries(admitted)) uRes.header?.set(name, value);
        return universalResponseToNodeResponse(uRes, res);
      })
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
  guard: Pick<GuardedRequest, "authorize" | "admit">,
): AsyncIterable<Uint8Array> {
  try {
    yield* guardRequestBody(uReq.body as AsyncIterable<Uint8Array>, {
      input: handler.method.input,
      header: uReq.header,
      maxBytes: options.maxBodyBytes,
      ...guard,
    });
  } catch (error) {
    if (error instanceof PoolError && error.code === Code.PayloadTooLarge && req.httpVersionMajor === 1) {
      // The rest of the body stays unread: this connection cannot be reused.
      res.setHeader("connection", "close");
    }
    if (error instanceof ConnectError) throw error;
    const connectError = toConnectError(error, options.logger);
    // A limit's refusal says when to come back (Retry-After, RateLimit): trailers on gRPC, headers on Connect.
    const headers = (error as { headers?: Record<string, string> }).headers;
    for (const [name, value] of Object.entries(headers ?? {})) connectError.metadata.set(name, value);
    throw connectError;
  }
}
