import { Code as RpcCode, ConnectError, createConnectRouter, createContextValues, type ConnectRouter } from "@connectrpc/connect";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { Code, PoolError } from "@llm-pool/core";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { identityKey } from "../auth/identity-key.js";
import { httpStatusOf } from "../http/errors.js";
import type { EdgeLogger } from "../logger.js";
import type { NodeRequestHandler } from "../server.js";
import { toConnectError } from "./errors.js";
import { answerRpcError } from "./rpc-error-response.js";
import { passRpcGate, type GatedCall } from "./rpc-gate.js";
import { rpcProtocolOf, type RpcProtocol } from "./rpc-protocol.js";

type NodeServerRequest = Parameters<NodeRequestHandler>[0];
type NodeServerResponse = Parameters<NodeRequestHandler>[1];

export interface RpcHandlerOptions {
  /** Registers the services (LlmPoolService, grpc.health.v1.Health). */
  readonly routes: (router: ConnectRouter) => void;
  /** Serves every path that is not an RPC (the REST app). */
  readonly fallback: NodeRequestHandler;
  readonly maxBodyBytes: number;
  readonly logger: EdgeLogger;
  /** The auth step, run on the raw request of every RPC outside the public list. */
  readonly auth: EdgeAuth;
}

/**
 * The outer request handler: gRPC, gRPC-Web and Connect for the registered
 * services, everything else to the fallback. It is connect-node's
 * `connectNodeAdapter` plus one step in front, which the adapter offers no
 * hook for: every RPC, whatever its HTTP method, passes `passRpcGate` (body
 * limit, auth on the raw bytes, malformed messages, admission) before
 * Connect sees it, and a refusal is answered in the protocol's own shape
 * without any handler running. A request that only looks like an RPC (a
 * gRPC or Connect content type on a path the server does not have) is
 * authenticated too, then answered UNIMPLEMENTED. The identity reaches the
 * service through the handler's context values.
 */
export function createRpcHandler(options: RpcHandlerOptions): NodeRequestHandler {
  const router = createConnectRouter({
    // What connectNodeAdapter accepts by default; the gate decompresses the same two.
    acceptCompression: [compressionGzip, compressionBrotli],
    // Strict proto3 JSON, as on REST: unknown fields and enum names are refused.
    jsonOptions: { ignoreUnknownFields: false },
    // A backstop after decompression; the gate already bounds the raw body.
    readMaxBytes: options.maxBodyBytes,
  });
  options.routes(router);
  const byPath = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));

  return function rpcHandler(req, res) {
    const path = (req.url ?? "").split("?", 1)[0]!;
    const handler = byPath.get(path);
    const protocol = handler ? (rpcProtocolOf(req.headers) ?? "connect-unary") : rpcProtocolOf(req.headers);
    if (!protocol) return options.fallback(req, res);
    serveRpc(req, res, { path, protocol, handler }, options).catch((reason: unknown) => {
      if (ConnectError.from(reason).code === RpcCode.Aborted) return;
      options.logger.warn({ err: reason, rpc: path }, "RPC response failed");
    });
  };
}

async function serveRpc(
  req: NodeServerRequest,
  res: NodeServerResponse,
  call: { path: string; protocol: RpcProtocol; handler: UniversalHandler | undefined },
  options: RpcHandlerOptions,
): Promise<void> {
  const contextValues = createContextValues();
  let uReq: UniversalServerRequest;
  try {
    uReq = universalRequestFromNodeRequest(req, res, undefined, contextValues);
  } catch {
    // No :authority or Host: not a request we can route.
    res.writeHead(400).end();
    return;
  }
  let gated: GatedCall;
  try {
    gated = await passRpcGate(
      {
        req,
        body: uReq.body as AsyncIterable<Uint8Array>,
        header: uReq.header,
        url: uReq.url,
        path: call.handler?.requestPath ?? call.path,
        input: call.handler?.method.input,
      },
      options,
    );
  } catch (error) {
    // A client that went away while its body was read needs no answer, and is no internal error.
    if (uReq.signal.aborted) return void res.destroy();
    refuse(req, res, call.protocol, error, options.logger);
    return;
  }
  if (!call.handler) {
    answerRpcError(req, res, call.protocol, new ConnectError(`no RPC method ${call.path}`, RpcCode.Unimplemented));
    return;
  }
  contextValues.set(identityKey, gated.identity);
  const uRes = await call.handler({ ...uReq, body: once(gated.body) });
  for (const [name, value] of Object.entries(gated.admitted)) uRes.header?.set(name, value);
  await universalResponseToNodeResponse(uRes, res);
}

/** Answers a refusal of the gate: the pool code's RPC code and ErrorDetail; a limit's Retry-After and RateLimit as metadata. */
function refuse(req: NodeServerRequest, res: NodeServerResponse, protocol: RpcProtocol, reason: unknown, logger: EdgeLogger): void {
  const error = PoolError.from(reason);
  if (error.code === Code.PayloadTooLarge && req.httpVersionMajor === 1) {
    // The rest of the body stays unread: this connection cannot be reused.
    res.setHeader("connection", "close");
  }
  const connectError = toConnectError(error, logger);
  answerRpcError(req, res, protocol, connectError, httpStatusOf[error.code]);
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
