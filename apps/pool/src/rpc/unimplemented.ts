import type { NodeRequestHandler } from "../server.js";

type Req = Parameters<NodeRequestHandler>[0];
type Res = Parameters<NodeRequestHandler>[1];

/**
 * Answers an RPC to a method this server does not have the way its protocol
 * expects UNIMPLEMENTED (gRPC and gRPC-Web: a trailers-only status; Connect:
 * a 404 with a Connect error body). Returns false for anything that is not
 * an RPC, which the REST app then answers.
 */
export function answerUnimplemented(req: Req, res: Res): boolean {
  const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
  const path = (req.url ?? "").split("?", 1)[0];
  const message = `no RPC method ${path}`;
  if (contentType.startsWith("application/grpc")) {
    res.writeHead(200, {
      "content-type": contentType.split(";", 1)[0],
      "grpc-status": "12",
      "grpc-message": encodeURIComponent(message),
    });
    res.end();
    return true;
  }
  if (req.headers["connect-protocol-version"] !== undefined || contentType.startsWith("application/connect+")) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: "unimplemented", message }));
    return true;
  }
  return false;
}
