import { toJson } from "@bufbuild/protobuf";
import type { HttpBindings, Http2Bindings } from "@hono/node-server";
import { AnswerSchema, QuerySchema, type Query } from "@llm-pool/contract";
import { Code, PoolError } from "@llm-pool/core";
import type { EdgeService } from "../infer-stream.js";
import type { Context } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { clientGoneSignal } from "../call-signal.js";
import { parseJsonMessage } from "../json-errors.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import type { AuthVariables } from "./authenticate.js";
import { requestBodyText } from "./body.js";
import { errorResponse } from "./errors.js";
import { restEvents, wantsEventStream } from "./infer-events.js";
import { frameBody, openStream } from "../doors/door-stream.js";
import { httpCallContext, nodeHeader } from "./http-call-context.js";
import { replyJson } from "./json-reply.js";

export type NodeEnv = { Bindings: HttpBindings | Http2Bindings; Variables: Partial<AuthVariables> };

/**
 * `POST /v1/infer`: the proto3 JSON form of Query in (lowerCamelCase or
 * snake_case names, enums by name), the JSON form of Answer out. The body
 * is the one the auth step read and authenticated; the Query is admitted
 * (rate limit, quota) before the service sees it. With
 * `Accept: text/event-stream` the answer is streamed as server-sent events
 * (R-API-6, see infer-events.ts) once the query produced its first event,
 * so a refusal before any output keeps its status and JSON body.
 */
export function inferRoute(service: EdgeService, maxBodyBytes: number, logger: EdgeLogger, auth: EdgeAuth) {
  return async function infer(c: Context<NodeEnv>): Promise<Response> {
    let query: Query;
    try {
      query = parseQuery(await requestBodyText(c.get("rawBody"), c.env.incoming, maxBodyBytes));
    } catch (error) {
      const tooLarge = error instanceof PoolError && error.code === Code.PayloadTooLarge;
      // The rest of an oversize body stays unread: an HTTP/1.1 connection cannot be reused.
      const close = tooLarge && c.env.incoming.httpVersionMajor === 1;
      return errorResponse(error, logger, close ? { headers: { connection: "close" } } : {});
    }
    const identity = c.get("identity");
    let admitted: Readonly<Record<string, string>>;
    try {
      admitted = await auth.admit(identity, query);
    } catch (error) {
      return errorResponse(error, logger, { requestId: query.requestId });
    }
    const callContext = httpCallContext(c, "native");
    try {
      if (wantsEventStream(nodeHeader(c, "accept"))) {
        const opened = await openStream(service, query, c.req.raw.signal, callContext);
        return new Response(frameBody(restEvents(opened), opened.cancel), {
          status: 200,
          headers: {
            ...admitted,
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache",
            ...(query.requestId ? { [REQUEST_ID_HEADER]: query.requestId } : {}),
          },
        });
      }
      // Without a transport deadline on REST, the query's own deadline_ms rules.
      const signal = clientGoneSignal(c.env.outgoing);
      const answer = await service.infer(query, { ...callContext, signal });
      return replyJson(c, 200, JSON.stringify(toJson(AnswerSchema, answer)), { ...admitted, [REQUEST_ID_HEADER]: answer.requestId });
    } catch (error) {
      return errorResponse(error, logger, { requestId: query.requestId });
    }
  };
}

function parseQuery(text: string): Query {
  return parseJsonMessage(QuerySchema, text);
}
