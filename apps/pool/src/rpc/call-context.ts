import { Code as RpcCode, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { CallContext, TransportName } from "@llm-pool/core";
import { identityKey } from "../auth/identity-key.js";
import { poolSignal } from "../call-signal.js";
import { traceHeaders } from "../trace-headers.js";

/**
 * What the service learns from an RPC beside the Query: the deadline the
 * client sent (grpc-timeout, connect-timeout-ms) and a signal that aborts
 * when that deadline passes or the client goes away, and the identity the
 * auth step proved (absent when auth is configured off), the W3C trace
 * context the client sent, and the protocol it came by (R-OBS-1..3).
 */
export function callContextOf(ctx: HandlerContext): CallContext {
  const timeoutMs = ctx.timeoutMs();
  const signal = poolSignal(
    ctx.signal,
    (reason) => reason instanceof ConnectError && reason.code === RpcCode.DeadlineExceeded,
  );
  const identity = ctx.values.get(identityKey);
  return {
    signal,
    ...(timeoutMs === undefined ? {} : { transportTimeoutMs: timeoutMs }),
    ...(identity === undefined ? {} : { identity }),
    ...traceHeaders((name) => ctx.requestHeader.get(name) ?? undefined),
    entry: { api: "native", transport: transportOf(ctx.protocolName) },
  };
}

/** connect-es names its protocols "grpc", "grpc-web" and "connect"; metric labels use underscores. */
function transportOf(protocolName: string): TransportName {
  if (protocolName === "grpc-web") return "grpc_web";
  return protocolName === "grpc" ? "grpc" : "connect";
}
