import type { IncomingHttpHeaders } from "node:http";

/** The RPC protocols of the one port, as the shape of their responses differs. */
export type RpcProtocol = "grpc" | "grpc-web" | "connect-stream" | "connect-unary";

/**
 * The protocol a request speaks, by its content type and Connect's version
 * header; undefined when nothing says it is an RPC (the REST app then
 * answers). A request to a known RPC path is an RPC whatever it says: it is
 * then Connect unary, the protocol of plain HTTP clients (and of GET).
 */
export function rpcProtocolOf(headers: IncomingHttpHeaders): RpcProtocol | undefined {
  const type = mediaTypeOf(headers);
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  if (type.startsWith("application/grpc")) return "grpc";
  if (type.startsWith("application/connect+")) return "connect-stream";
  if (headers["connect-protocol-version"] !== undefined) return "connect-unary";
  return undefined;
}

/** The content type without parameters, lower case: "application/grpc+proto". */
export function mediaTypeOf(headers: IncomingHttpHeaders): string {
  return String(headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
}
