import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { NodeRequestHandler } from "../server.js";
import { authenticateRequest, refusalOptions } from "./authenticate.js";
import { errorResponse } from "./errors.js";
import { headerOf } from "./http-call-context.js";
import { wantsEventStream } from "./infer-events.js";
import { admittedQuery, answerJson, type InferRouteDeps } from "./infer-route.js";

type NodeRequest = Parameters<NodeRequestHandler>[0];
type NodeResponse = Parameters<NodeRequestHandler>[1];

const INFER_PATH = "/v1/infer";

/**
 * `POST /v1/infer` answered as JSON straight from Node's request and response, in front of the REST app: the
 * same auth step, parsing, admission, answer and errors as the Hono route (infer-route.ts), without the WHATWG
 * Request, routing and middleware chain Hono and node-server add to every call, which under load cost the pool
 * a few percent of its CPU per request. Only the exact path is taken here; every other path (dot segments,
 * percent-encoding, a trailing slash: Hono resolves those), every other method (405) and event streams go to
 * `next`, the REST app, as before.
 */
export function inferDirect(deps: InferRouteDeps, next: NodeRequestHandler): NodeRequestHandler {
  return function restHandler(req, res) {
    if (req.method !== "POST" || !isInferTarget(req.url) || wantsEventStream(headerOf(req, "accept"))) return next(req, res);
    serveInfer(deps, req, res).catch((reason: unknown) => {
      deps.logger.warn({ err: reason, route: INFER_PATH }, "REST response failed");
      res.destroy();
    });
  };
}

function isInferTarget(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(INFER_PATH)) return false;
  return url.length === INFER_PATH.length || url.charCodeAt(INFER_PATH.length) === 0x3f; // "?"
}

async function serveInfer(deps: InferRouteDeps, req: NodeRequest, res: NodeResponse): Promise<void> {
  let proven;
  try {
    proven = await authenticateRequest(deps.auth, INFER_PATH, req, deps.maxBodyBytes);
  } catch (error) {
    return send(req, res, errorResponse(error, deps.logger, refusalOptions(error, req)));
  }
  const call = { incoming: req, outgoing: res, identity: proven?.identity, rawBody: proven?.rawBody };
  const admitted = await admittedQuery(deps, call);
  if (admitted instanceof Response) return send(req, res, admitted);
  const answered = await answerJson(deps, call, admitted);
  if (answered !== RESPONSE_ALREADY_SENT) await send(req, res, answered);
}

/**
 * Writes a (refusal's) Response as node-server would: its status, its headers, its body with its length. A body
 * left unread (over the limit) is dropped: HTTP/1.1 closes the connection (the refusal says `connection: close`),
 * an HTTP/2 stream is reset once the answer is out, as node-server does.
 */
async function send(req: NodeRequest, res: NodeResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | number> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  headers["content-length"] = body.byteLength;
  res.writeHead(response.status, headers);
  res.end(body);
  if (req.httpVersionMajor === 2 && !req.readableEnded) {
    // node-server's own rule: two turns for the answer to go out, then reset what the client still sends.
    setTimeout(() => {
      if (!req.readableEnded) {
        setTimeout(() => {
          req.destroy();
          res.destroy();
        });
      }
    });
  }
}
