import { toJson } from "@bufbuild/protobuf";
import type { HttpBindings, Http2Bindings } from "@hono/node-server";
import { AnswerSchema, QuerySchema, type Query } from "@llm-pool/contract";
import type { Identity } from "@llm-pool/core";
import type { EdgeService } from "../infer-stream.js";
import type { Context } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import type { NodeBodyStream } from "../body-limit.js";
import { clientGoneSignal } from "../call-signal.js";
import { parseJsonMessage } from "../json-errors.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { refusalOptions, type AuthVariables } from "./authenticate.js";
import { requestBodyText } from "./body.js";
import { errorResponse } from "./errors.js";
import { restEvents, wantsEventStream } from "./infer-events.js";
import { frameBody, openStream } from "../doors/door-stream.js";
import { httpCallContext, nodeCallContext, nodeHeader } from "./http-call-context.js";
import { replyJson, type NodeReply } from "./json-reply.js";

export type NodeEnv = { Bindings: HttpBindings | Http2Bindings; Variables: Partial<AuthVariables> };

/** What POST /v1/infer needs, whichever way it was routed (Hono, or infer-direct.ts). */
export interface InferRouteDeps {
  readonly service: EdgeService;
  readonly maxBodyBytes: number;
  readonly logger: EdgeLogger;
  readonly auth: EdgeAuth;
}

/** One POST /v1/infer on Node's request and response, after the auth step. */
export interface InferCall {
  readonly incoming: NodeBodyStream & { readonly httpVersionMajor: number };
  readonly outgoing: NodeReply & { readonly writableFinished: boolean; once(event: "close", listener: () => void): unknown };
  readonly identity: Identity | undefined;
  /** The body the auth step read and authenticated; undefined when no auth step ran (read now). */
  readonly rawBody: Uint8Array | undefined;
}

/**
 * `POST /v1/infer`: the proto3 JSON form of Query in (lowerCamelCase or
 * snake_case names, enums by name), the JSON form of Answer out. The body
 * is the one the auth step read and authenticated; the Query is admitted
 * (rate limit, quota) before the service sees it. With
 * `Accept: text/event-stream` the answer is streamed as server-sent events
 * (R-API-6, see infer-events.ts) once the query produced its first event,
 * so a refusal before any output keeps its status and JSON body. Without
 * it, Hono sees the route only when infer-direct.ts did not take it first.
 */
export function inferRoute(deps: InferRouteDeps) {
  return async function infer(c: Context<NodeEnv>): Promise<Response> {
    const call: InferCall = { incoming: c.env.incoming, outgoing: c.env.outgoing, identity: c.get("identity"), rawBody: c.get("rawBody") };
    const admitted = await admittedQuery(deps, call);
    if (admitted instanceof Response) return admitted;
    if (!wantsEventStream(nodeHeader(c, "accept"))) return answerJson(deps, call, admitted);
    const { query, headers } = admitted;
    try {
      const opened = await openStream(deps.service, query, c.req.raw.signal, httpCallContext(c, "native"));
      return new Response(frameBody(restEvents(opened), opened.cancel), {
        status: 200,
        headers: {
          ...headers,
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          ...(query.requestId ? { [REQUEST_ID_HEADER]: query.requestId } : {}),
        },
      });
    } catch (error) {
      return errorResponse(error, deps.logger, { requestId: query.requestId });
    }
  };
}

/** The call's Query, parsed and admitted, with the RateLimit headers of its answer; or the refusal to send. */
export async function admittedQuery(
  deps: InferRouteDeps,
  call: InferCall,
): Promise<{ readonly query: Query; readonly headers: Readonly<Record<string, string>> } | Response> {
  let query: Query;
  try {
    query = parseJsonMessage(QuerySchema, await requestBodyText(call.rawBody, call.incoming, deps.maxBodyBytes));
  } catch (error) {
    // Over the limit, the rest of the body stays unread: an HTTP/1.1 connection cannot be reused.
    return errorResponse(error, deps.logger, refusalOptions(error, call.incoming));
  }
  try {
    return { query, headers: await deps.auth.admit(call.identity, query) };
  } catch (error) {
    return errorResponse(error, deps.logger, { requestId: query.requestId });
  }
}

/** The admitted Query answered as JSON, written straight to Node's response; or the error to send. */
export async function answerJson(
  deps: InferRouteDeps,
  call: InferCall,
  { query, headers }: { readonly query: Query; readonly headers: Readonly<Record<string, string>> },
): Promise<Response> {
  try {
    // Without a transport deadline on REST, the query's own deadline_ms rules.
    const signal = clientGoneSignal(call.outgoing);
    const answer = await deps.service.infer(query, { ...nodeCallContext(call.incoming, call.identity, "native"), signal });
    return replyJson(call.outgoing, 200, JSON.stringify(toJson(AnswerSchema, answer)), { ...headers, [REQUEST_ID_HEADER]: answer.requestId });
  } catch (error) {
    return errorResponse(error, deps.logger, { requestId: query.requestId });
  }
}
