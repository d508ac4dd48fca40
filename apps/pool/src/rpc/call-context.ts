import { Code as RpcCode, ConnectError, type HandlerContext } from "@connectrpc/connect";
import type { CallContext } from "@llm-pool/core";
import { poolSignal } from "../call-signal.js";

/**
 * What the service learns from an RPC beside the Query: the deadline the
 * client sent (grpc-timeout, connect-timeout-ms) and a signal that aborts
 * when that deadline passes or the client goes away.
 */
export function callContextOf(ctx: HandlerContext): CallContext {
  const timeoutMs = ctx.timeoutMs();
  const signal = poolSignal(
    ctx.signal,
    (reason) => reason instanceof ConnectError && reason.code === RpcCode.DeadlineExceeded,
  );
  return timeoutMs === undefined ? { signal } : { signal, transportTimeoutMs: timeoutMs };
}
