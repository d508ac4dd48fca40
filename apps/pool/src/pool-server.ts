import { getRequestListener } from "@hono/node-server";
import { systemClock, type Clock, type Readiness } from "@llm-pool/core";
import { openAuth, type EdgeAuth } from "./auth/edge-auth.js";
import type { ModelCatalog } from "./doors/model-catalog.js";
import { withCors } from "./cors.js";
import { createHttpApp, type MetricsSource, type StatusSource } from "./http/app.js";
import { inferDirect } from "./http/infer-direct.js";
import type { EdgeService } from "./infer-stream.js";
import { silentLogger, type EdgeLogger } from "./logger.js";
import { registerHealthService } from "./rpc/health-service.js";
import { createOllamaApp } from "./ollama/ollama-app.js";
import { registerLlmPoolService } from "./rpc/llm-pool-service.js";
import { createRpcHandler } from "./rpc/rpc-handler.js";
import { EdgeServer } from "./server.js";
import { resolveServerOptions, type ServerOptions } from "./server-options.js";
import { overloadRefusal } from "./transport/overload-refusal.js";
import type { TransportObserver } from "./transport/transport-observer.js";

export interface PoolServerDeps {
  /** The orchestrator (or anything shaped like it). */
  readonly service: EdgeService;
  /** Source of `GET /metrics`; without it the route is 404. */
  readonly metrics?: MetricsSource;
  /** Source of `GET /status` (same access rule as /metrics); without it the route is 404. */
  readonly status?: StatusSource;
  readonly logger?: EdgeLogger;
  /** Drives grpc.health.v1 Watch polling; default the system clock. */
  readonly clock?: Clock;
  /** How often grpc.health.v1 Watch looks at readiness, in ms; default 1000. */
  readonly healthWatchIntervalMs?: number;
  /**
   * The auth step of every route and RPC outside the public list (R-SEC-1..5).
   * Default: none at all, for servers in tests of other concerns; the
   * composition root always passes one.
   */
  readonly auth?: EdgeAuth;
  /** Hears what the transport refuses (connections, streams, requests over the limits). */
  readonly transportObserver?: TransportObserver;
  /**
   * The OpenAI- and Ollama-compatible doors (R-API-7): the models they serve,
   * whether the OpenAI routes are on the main port, and where the Ollama door
   * listens (its own port, with the same transport bounds and TLS). Without
   * it neither door is served.
   */
  readonly doors?: {
    readonly catalog: ModelCatalog;
    readonly openai: boolean;
    readonly ollama?: { readonly host: string; readonly port: number };
  };
  /**
   * `[server] cors_allowed_origins`, read per request: browser origins that may call the pool.
   * Default none (no CORS headers).
   */
  readonly corsAllowedOrigins?: () => readonly string[];
}

export interface PoolServer {
  /** Binds the port (and the Ollama door's); resolves with the ports actually bound. */
  start(): Promise<{ port: number; ollamaPort?: number }>;
  /** Drains: refuses new connections, lets in-flight requests finish within `graceMs`, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

/**
 * The pool's edges on one port: gRPC, gRPC-Web and Connect for
 * LlmPoolService and grpc.health.v1.Health, and the REST routes, all mapped
 * to and from `deps.service`.
 */
export function createPoolServer(options: Partial<ServerOptions>, deps: PoolServerDeps): PoolServer {
  const resolved = resolveServerOptions(options);
  const logger = deps.logger ?? silentLogger;
  const shutdown = new AbortController();
  const auth = deps.auth ?? openAuth;
  const readiness = (): Readiness => {
    if (!shutdown.signal.aborted) return deps.service.readiness();
    return { ready: false, reasons: [...deps.service.readiness().reasons, "the server is draining"] };
  };

  const clock = deps.clock ?? systemClock;
  const doors = deps.doors;
  const app = createHttpApp({
    service: deps.service,
    readiness,
    ...(deps.metrics && { metrics: deps.metrics }),
    ...(deps.status && { status: deps.status }),
    maxBodyBytes: resolved.maxBodyBytes,
    logger,
    auth,
    ...(doors?.openai && { openai: { catalog: doors.catalog, clock } }),
  });
  // POST /v1/infer (JSON) is answered before Hono; everything else is the REST app's.
  const rest = inferDirect(
    { service: deps.service, maxBodyBytes: resolved.maxBodyBytes, logger, auth },
    getRequestListener(app.fetch, { overrideGlobalObjects: false }),
  );
  const handler = createRpcHandler({
    routes(router) {
      registerLlmPoolService(router, deps.service, logger);
      registerHealthService(router, {
        readiness,
        clock,
        watchIntervalMs: deps.healthWatchIntervalMs ?? 1_000,
        shutdown: shutdown.signal,
      });
    },
    fallback: rest,
    maxBodyBytes: resolved.maxBodyBytes,
    logger,
    auth,
  });
  const edgeDeps = {
    ...(deps.clock && { clock: deps.clock }),
    ...(deps.transportObserver && { observer: deps.transportObserver }),
    refuseOverloaded: overloadRefusal(logger),
  };
  // CORS on the main port only: the Ollama door's clients are programs, not browser pages.
  const server = new EdgeServer(resolved, deps.corsAllowedOrigins ? withCors(handler, deps.corsAllowedOrigins) : handler, edgeDeps);
  const ollama = doors?.ollama
    ? new EdgeServer(
        { ...resolved, ...doors.ollama },
        getRequestListener(
          createOllamaApp({ service: deps.service, auth, catalog: doors.catalog, clock, logger, maxBodyBytes: resolved.maxBodyBytes }).fetch,
          { overrideGlobalObjects: false },
        ),
        edgeDeps,
      )
    : undefined;

  return {
    async start() {
      const { port } = await server.start();
      if (!ollama) return { port };
      try {
        return { port, ollamaPort: (await ollama.start()).port };
      } catch (error) {
        await server.close(0);
        throw error;
      }
    },
    async close(graceMs) {
      shutdown.abort();
      await Promise.all([server.close(graceMs), ollama?.close(graceMs)]);
    },
  };
}
