import { Code, PoolError, type Clock, type Readiness } from "@llm-pool/core";
import type { MetricsAudience } from "@llm-pool/telemetry";
import { Hono, type Context } from "hono";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { edgeRequestOf } from "../auth/edge-request.js";
import { authenticate } from "./authenticate.js";
import type { ModelCatalog } from "../doors/model-catalog.js";
import type { EdgeService } from "../infer-stream.js";
import type { EdgeLogger } from "../logger.js";
import { openAiErrorResponse } from "../openai/openai-errors.js";
import { isOpenAiPath, OPENAI_ROUTES, registerOpenAiDoor } from "../openai/openai-routes.js";
import { errorResponse } from "./errors.js";
import { inferRoute, type NodeEnv } from "./infer-route.js";

/**
 * Prometheus exposition (or any text) for `GET /metrics`, for its audience:
 * anyone ("public", with metrics_public = true) or an operator holding the
 * "metrics" scope, who also gets the operator families.
 */
export type MetricsSource = (audience: MetricsAudience) => Promise<{ contentType: string; body: string }>;

/** The HTML of `GET /status`, rendered from the same metrics. */
export type StatusSource = () => Promise<string>;

export interface HttpAppDeps {
  readonly service: EdgeService;
  /** Readiness as `/readyz` reports it (the service's, and not while draining); the reasons stay inside. */
  readonly readiness: () => Readiness;
  readonly metrics?: MetricsSource;
  /** Source of `GET /status`; without it the route is 404. */
  readonly status?: StatusSource;
  readonly maxBodyBytes: number;
  readonly logger: EdgeLogger;
  /** The auth step, before every route outside the public list. */
  readonly auth: EdgeAuth;
  /** The OpenAI-compatible door (R-API-7); without it its routes are 404. */
  readonly openai?: { readonly catalog: ModelCatalog; readonly clock: Clock };
}

/** The methods each route answers; any other method on it is 405. */
const routes: Readonly<Record<string, string>> = {
  "/v1/infer": "POST",
  "/healthz": "GET, HEAD",
  "/readyz": "GET, HEAD",
  "/metrics": "GET, HEAD",
  "/status": "GET, HEAD",
};

/** The REST routes of R-API-2, as a Hono app. */
export function createHttpApp(deps: HttpAppDeps): Hono<NodeEnv> {
  const app = new Hono<NodeEnv>();

  const openai = deps.openai;
  // Refusals on the OpenAI door's paths take OpenAI's error shape, which its clients turn into their typed errors.
  app.use(
    authenticate(deps.auth, deps.maxBodyBytes, deps.logger, (error, path, options) =>
      openai && isOpenAiPath(path) ? openAiErrorResponse(error, deps.logger, options) : errorResponse(error, deps.logger, options),
    ),
  );
  app.post("/v1/infer", inferRoute(deps));
  if (openai) {
    registerOpenAiDoor(app, { ...openai, service: deps.service, auth: deps.auth, logger: deps.logger, maxBodyBytes: deps.maxBodyBytes });
  }

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  // Public: ready or not, nothing more. The reasons name providers, stores and their errors: only
  // a caller whose credential holds the "metrics" scope sees them. A probe without credentials is
  // never refused (a load balancer keeps probing), and is not counted as an auth failure.
  app.get("/readyz", async (c) => {
    const { ready, reasons } = deps.readiness();
    const status = ready ? 200 : 503;
    if (!hasCredentials(c) || !(await isOperator(deps.auth, c))) return c.json({ ready }, status);
    return c.json({ ready, reasons }, status);
  });

  app.get("/metrics", async (c) => {
    if (!deps.metrics) return noRoute(c, deps.logger);
    const { contentType, body } = await deps.metrics(deps.auth.accessFor(c.req.path) === "public" ? "public" : "operator");
    return c.body(body, 200, { "content-type": contentType });
  });

  app.get("/status", async (c) => {
    if (!deps.status) return noRoute(c, deps.logger);
    // No script, no outside resources: a page that can only show itself.
    return c.html(await deps.status(), 200, {
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "cache-control": "no-store",
    });
  });

  for (const [path, allow] of Object.entries({ ...routes, ...(openai ? OPENAI_ROUTES : {}) })) {
    app.all(path, (c) =>
      errorResponse(new PoolError(Code.NotFound, `method ${c.req.method} is not allowed on ${path}`), deps.logger, {
        status: 405,
        headers: { allow },
      }),
    );
  }

  app.notFound((c) => noRoute(c, deps.logger));
  app.onError((error) => errorResponse(error, deps.logger));
  return app;
}

/** Whether the request carries an Authorization header (JWT) or HMAC signature headers. */
function hasCredentials(c: Context<NodeEnv>): boolean {
  return Object.keys(c.req.header()).some((name) => name === "authorization" || name === "x-api-key" || name === "x-signature");
}

async function isOperator(auth: EdgeAuth, c: Context<NodeEnv>): Promise<boolean> {
  try {
    await auth.authenticate(edgeRequestOf(c.env.incoming, new Uint8Array()), "metrics");
    return true;
  } catch {
    return false;
  }
}

function noRoute(c: Context, logger: EdgeLogger): Response {
  return errorResponse(new PoolError(Code.NotFound, `no route for ${c.req.method} ${c.req.path}`), logger);
}
