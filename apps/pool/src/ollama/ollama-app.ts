import { createHash } from "node:crypto";
import { Code, PoolError, type Clock } from "@llm-pool/core";
import { Hono, type Context } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { poolSignal } from "../call-signal.js";
import { EXTENSION_FIELD } from "../doors/door-query.js";
import { frameBody, openStream } from "../doors/door-stream.js";
import { parseJsonObject } from "../doors/json-body.js";
import type { ModelCatalog, PoolModel } from "../doors/model-catalog.js";
import { authenticate } from "../http/authenticate.js";
import { requestBodyText } from "../http/body.js";
import type { NodeEnv } from "../http/infer-route.js";
import type { EdgeService } from "../infer-stream.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { ollamaDone, ollamaLoaded, type OllamaHead } from "./ollama-answer.js";
import { ollamaErrorResponse } from "./ollama-errors.js";
import { ollamaRequest, type OllamaRequest, type OllamaRoute } from "./ollama-request.js";
import { ollamaLines } from "./ndjson-frames.js";
import { httpCallContext } from "../http/http-call-context.js";

/** The Ollama API version the door follows; clients that check for features read it from /api/version. */
export const OLLAMA_API_VERSION = "0.11.4";

/** Answered without credentials, as tools probe an Ollama before they use it: the banner and the version. */
export const OLLAMA_PUBLIC_PATHS: readonly string[] = ["/", "/api/version"];

export interface OllamaDoorDeps {
  readonly service: EdgeService;
  readonly auth: EdgeAuth;
  readonly catalog: ModelCatalog;
  readonly clock: Clock;
  readonly logger: EdgeLogger;
  readonly maxBodyBytes: number;
}

/** The methods each route answers; any other method on it is 405. */
const routes: Readonly<Record<string, string>> = {
  "/": "GET, HEAD",
  "/api/version": "GET, HEAD",
  "/api/tags": "GET, HEAD",
  "/api/ps": "GET, HEAD",
  "/api/chat": "POST",
  "/api/generate": "POST",
};

/**
 * The Ollama-compatible door (R-API-7), served on its own port: chat and
 * generate (NDJSON streams, or one object with stream: false), the tasks and
 * profiles as models (/api/tags), the version, and the banner. Every path
 * but the banner and the version needs an "infer" credential (a bearer API
 * key or JWT), and every query meets the tenant's limits, as on the main port.
 */
export function createOllamaApp(deps: OllamaDoorDeps): Hono<NodeEnv> {
  const app = new Hono<NodeEnv>();
  const auth: EdgeAuth = { ...deps.auth, accessFor: (path) => (OLLAMA_PUBLIC_PATHS.includes(path) ? "public" : "infer") };
  app.use(authenticate(auth, deps.maxBodyBytes, deps.logger, (error, _path, options) => ollamaErrorResponse(error, deps.logger, options)));

  app.get("/", (c) => c.text("Ollama is running"));
  app.get("/api/version", (c) => c.json({ version: OLLAMA_API_VERSION }));
  app.get("/api/tags", (c) => c.json({ models: deps.catalog.list(c.get("identity")).map((model) => tagEntry(model, deps.clock)) }));
  // Which models are loaded is the pool's business (warm-up, keep_alive): none is shown as loaded here.
  app.get("/api/ps", (c) => c.json({ models: [] }));
  app.post("/api/chat", generationRoute("chat", deps, auth));
  app.post("/api/generate", generationRoute("generate", deps, auth));

  for (const [path, allow] of Object.entries(routes)) {
    app.all(path, (c) =>
      ollamaErrorResponse(new PoolError(Code.NotFound, `method ${c.req.method} is not allowed on ${path}`), deps.logger, { status: 405, headers: { allow } }),
    );
  }
  app.notFound((c) => ollamaErrorResponse(new PoolError(Code.NotFound, `no route for ${c.req.method} ${c.req.path}`), deps.logger));
  app.onError((error) => ollamaErrorResponse(error, deps.logger));
  return app;
}

function tagEntry(model: PoolModel, clock: Clock) {
  const name = `${model.id}:latest`;
  return {
    name,
    model: name,
    modified_at: new Date(clock.now()).toISOString(),
    size: 0,
    digest: createHash("sha256").update(name).digest("hex"),
    details: { parent_model: "", format: "pool", family: "pool", families: ["pool"], parameter_size: "", quantization_level: "" },
    [EXTENSION_FIELD]: { task: model.task, ...(model.strategy && { strategy: model.strategy }), ...(model.profile && { profile: model.profile }) },
  };
}

function generationRoute(route: OllamaRoute, deps: OllamaDoorDeps, auth: EdgeAuth) {
  return async function generation(c: Context<NodeEnv>): Promise<Response> {
    const identity = c.get("identity");
    const callContext = httpCallContext(c, "ollama");
    let request: OllamaRequest;
    try {
      const body = parseJsonObject(await requestBodyText(c.get("rawBody"), c.env.incoming, deps.maxBodyBytes));
      request = ollamaRequest(route, body, deps.catalog, identity);
    } catch (error) {
      return ollamaErrorResponse(error, deps.logger);
    }
    const head: OllamaHead = {
      route,
      model: request.name,
      createdAt: () => new Date(deps.clock.now()).toISOString(),
      maxTokens: request.load ? 0 : request.query.maxTokens,
    };
    if (request.load) return c.json(ollamaLoaded(head));
    const requestId = request.query.requestId;
    let admitted: Readonly<Record<string, string>>;
    try {
      admitted = await auth.admit(identity, request.query);
    } catch (error) {
      return ollamaErrorResponse(error, deps.logger, { requestId });
    }
    try {
      if (!request.stream) {
        const signal = poolSignal(c.req.raw.signal, () => false);
        const answer = await deps.service.infer(request.query, { ...callContext, signal });
        return c.json(ollamaDone(head, answer, answer.output), 200, { ...admitted, [REQUEST_ID_HEADER]: answer.requestId });
      }
      const opened = await openStream(deps.service, request.query, c.req.raw.signal, callContext);
      return new Response(frameBody(ollamaLines(head, opened), opened.cancel), {
        status: 200,
        headers: { ...admitted, "content-type": "application/x-ndjson", ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) },
      });
    } catch (error) {
      return ollamaErrorResponse(error, deps.logger, { requestId });
    }
  };
}
