import { randomUUID } from "node:crypto";
import type { Clock } from "@llm-pool/core";
import type { Context, Hono } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { poolSignal } from "../call-signal.js";
import { frameBody, openStream } from "../doors/door-stream.js";
import { parseJsonObject } from "../doors/json-body.js";
import type { ModelCatalog } from "../doors/model-catalog.js";
import { requestBodyText } from "../http/body.js";
import type { NodeEnv } from "../http/infer-route.js";
import type { EdgeService } from "../infer-stream.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { completionBody, type CompletionHead } from "./openai-answer.js";
import { openAiErrorResponse } from "./openai-errors.js";
import { openAiParam, openAiRequest, type OpenAiRequest, type OpenAiRoute } from "./openai-request.js";
import { openAiEvents } from "./sse-frames.js";
import { httpCallContext } from "../http/http-call-context.js";

export interface OpenAiDoorDeps {
  readonly service: EdgeService;
  readonly auth: EdgeAuth;
  readonly catalog: ModelCatalog;
  readonly clock: Clock;
  readonly logger: EdgeLogger;
  readonly maxBodyBytes: number;
  /** Ids of streamed completions whose client chose no request_id; default random UUIDs. */
  readonly newId?: () => string;
}

/** The routes of the OpenAI-compatible door and the methods each answers. */
export const OPENAI_ROUTES: Readonly<Record<string, string>> = {
  "/v1/chat/completions": "POST",
  "/v1/completions": "POST",
  "/v1/models": "GET, HEAD",
};

/** Whether a path belongs to the OpenAI door, whose errors take OpenAI's shape. */
export function isOpenAiPath(path: string): boolean {
  return path in OPENAI_ROUTES || path.startsWith("/v1/models/");
}

/**
 * The OpenAI-compatible door on the main port (R-API-7): chat and legacy
 * completions (streamed as server-sent events or not) and the model list,
 * behind the same auth step and the same tenant limits as POST /v1/infer.
 */
export function registerOpenAiDoor(app: Hono<NodeEnv>, deps: OpenAiDoorDeps): void {
  app.post("/v1/chat/completions", completionRoute("chat", deps));
  app.post("/v1/completions", completionRoute("completion", deps));
  app.get("/v1/models", function listModels(c) {
    const data = deps.catalog.list(c.get("identity")).map((model) => modelObject(model.id));
    return c.json({ object: "list", data });
  });
  app.get("/v1/models/*", function retrieveModel(c) {
    try {
      const name = decodeURIComponent(c.req.path.slice("/v1/models/".length));
      return c.json(modelObject(deps.catalog.resolve(name, c.get("identity")).id));
    } catch (error) {
      return openAiErrorResponse(error, deps.logger);
    }
  });
}

function modelObject(id: string) {
  return { id, object: "model", created: 0, owned_by: "llm-pool" };
}

function completionRoute(route: OpenAiRoute, deps: OpenAiDoorDeps) {
  const param = openAiParam(route);
  return async function completions(c: Context<NodeEnv>): Promise<Response> {
    const identity = c.get("identity");
    const callContext = httpCallContext(c, "openai");
    let request: OpenAiRequest;
    let admitted: Readonly<Record<string, string>>;
    try {
      const body = parseJsonObject(await requestBodyText(c.get("rawBody"), c.env.incoming, deps.maxBodyBytes));
      request = openAiRequest(route, body, deps.catalog, identity);
    } catch (error) {
      return openAiErrorResponse(error, deps.logger, { param });
    }
    const requestId = request.query.requestId;
    try {
      admitted = await deps.auth.admit(identity, request.query);
    } catch (error) {
      return openAiErrorResponse(error, deps.logger, { requestId, param });
    }
    const head = (id: string): CompletionHead => ({
      id: `${route === "chat" ? "chatcmpl" : "cmpl"}-${id}`,
      created: Math.floor(deps.clock.now() / 1000),
      route,
      request,
    });
    try {
      if (!request.stream) {
        const signal = poolSignal(c.req.raw.signal, () => false);
        const answer = await deps.service.infer(request.query, { ...callContext, signal });
        return c.json(completionBody(head(answer.requestId), answer), 200, { ...admitted, [REQUEST_ID_HEADER]: answer.requestId });
      }
      const opened = await openStream(deps.service, request.query, c.req.raw.signal, callContext);
      // A server-assigned request id is only known with the answer: it arrives in the last chunk's `pool`.
      const body = frameBody(openAiEvents(head(requestId || (deps.newId ?? randomUUID)()), opened), opened.cancel);
      return new Response(body, {
        status: 200,
        headers: {
          ...admitted,
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
      });
    } catch (error) {
      return openAiErrorResponse(error, deps.logger, { requestId, param });
    }
  };
}
