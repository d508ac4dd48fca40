import { createAnswerMemo } from "@llm-pool/cache";
import { loadConfig, watchConfig, type ConfigSnapshot } from "@llm-pool/config";
import { Orchestrator, systemClock, type Clock, type ProviderPool } from "@llm-pool/core";
import { createEnsemble, createOutputValidator, winRateSamples, winRatesFromConfig } from "@llm-pool/ensemble";
import { OutputSchemaCompiler } from "@llm-pool/output-schema";
import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import { createLogger, createMetrics, createTracing, ensembleObservers, type EngineSample, type Logger, type SpanExporter } from "@llm-pool/telemetry";
import { wireSecurity } from "./auth/wire-security.js";
import { breakerSamples } from "./breaker-samples.js";
import { modelCatalog } from "./doors/model-catalog.js";
import { observedService } from "./observed-service.js";
import { createPoolServer } from "./pool-server.js";
import { DeferredObserver } from "./deferred-observer.js";
import { createRequestObserver } from "./request-observer.js";
import { serverOptionsFrom } from "./server-config.js";
import { renderStatusPage } from "./status/status-page.js";
import { transportMetrics } from "./transport/transport-metrics.js";

export interface PoolOptions {
  readonly configPath: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Where trace spans go instead of `[tracing] otlp_endpoint` (tests: an in-memory exporter). */
  readonly spanExporter?: SpanExporter;
  /** How often readiness PINGs the security stores' Redis; default 1000 ms (tests go faster). */
  readonly storeProbeIntervalMs?: number;
  /** Builds the providers of each snapshot; the drivers live in @llm-pool/providers. */
  readonly providers: (deps: { env: NodeJS.ProcessEnv; clock: Clock; logger: Logger }) => ProviderPool & {
    start?(config: ConfigSnapshot): void;
    reload?(config: ConfigSnapshot): void;
    close?(): Promise<void>;
    /** Settles when the models preloaded at start (or after the last reload) are loaded or have failed. */
    warming?(): Promise<unknown>;
    /** Each engine's admission state, for the llmpool_engine_* metrics. */
    engines?(): readonly EngineSample[];
  };
}

export interface RunningPool {
  readonly port: number;
  /** The Ollama-compatible door's port, when `[server] ollama_listen` is set. */
  readonly ollamaPort?: number;
  readonly config: () => ConfigSnapshot;
  /** Settles once the warm-up that runs in the background after start is over. */
  warmedUp(): Promise<void>;
  /** Drains in-flight requests up to `[server].shutdown_grace_ms`, then stops everything. */
  close(): Promise<void>;
}

/**
 * The composition root: load the config, build every dependency, listen.
 * Wiring only — each piece lives in its own library.
 */
export async function startPool(options: PoolOptions): Promise<RunningPool> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const metrics = createMetrics({ now: () => clock.now() });
  const providers = options.providers({ env, clock, logger });

  const initial = await loadConfig(options.configPath, { env });
  const breakers = new BreakerBoard(initial.breaker, clock);
  breakers.onStateChange((change) => {
    if (change.to === "open") metrics.observeBreakerOpen(change.provider, change.task);
    logger.info({ provider: change.provider, task: change.task, from: change.from, to: change.to }, "circuit breaker");
  });
  // How every engine call ended and each engine's learned limit and queue (docs/QOS.md).
  breakers.onCallEnd((provider, task, end) => metrics.qos.observeCallEnd(provider, task, end));
  metrics.qos.watchEngines(() => providers.engines?.() ?? []);
  // `[qos] hedge_budget_share` is read at start; a change applies after a restart.
  const hedgeBudget = new HedgeBudget({ share: initial.qos.hedge_budget_share, clock });
  // `[tracing]` is read at start (R-OBS-3); a change applies after a restart.
  const tracing = createTracing(initial.tracing, options.spanExporter ? { exporter: options.spanExporter } : {});

  const watcher = await watchConfig(options.configPath, {
    env,
    logger,
    initial,
    observer: { observeReload: (event) => metrics.observeConfigReload(event.result) },
    // Fields read only at start (RESTART_ONLY_FIELDS) are named by the watcher's warning, not applied here.
    onReload(next) {
      providers.reload?.(next);
      breakers.reconfigure(next.breaker);
    },
  });
  const security = await wireSecurity({
    config: () => watcher.current(),
    env,
    clock,
    logger,
    metrics: metrics.security,
    ...(options.storeProbeIntervalMs === undefined ? {} : { storeProbeIntervalMs: options.storeProbeIntervalMs }),
  }).catch(
    async (error: unknown) => {
      await watcher.close();
      throw error;
    },
  );
  providers.start?.(initial);
  // Answer cache, coalescing and request_id idempotency ([cache]; docs/CACHE.md).
  const memo = createAnswerMemo({
    config: () => watcher.current(),
    shareAcrossTenants: (config) => config.cache.share_across_tenants,
    idempotencyOnStoreFailure: initial.cache.idempotency_on_store_failure,
    env,
    clock,
    observer: {
      ...metrics.cache,
      storeFailed(store, operation, err) {
        metrics.cache.storeFailed(store, operation);
        logger.warn({ err, store, operation }, "cache Redis call failed; skipping Redis for 1 s");
      },
    },
  });
  // WEIGHTED's win-rates (R-ENS-3). `[ensemble] win_rate_store` and `win_rate_half_life_ms` are read at start;
  // a change applies after a restart (the store holds the history).
  const winRates = winRatesFromConfig(initial, {
    env,
    clock,
    onError: (error) => logger.warn({ err: error }, "win-rate Redis failed; WEIGHTED uses cached or neutral rates"),
  });
  metrics.watchWinRates(() => winRateSamples(watcher.current(), winRates.rate));

  // Client output schemas are compiled once, at admission; the ensemble's validator finds them compiled.
  const schemas = new OutputSchemaCompiler();
  // Each query's log line and metrics, built after its answer is written (see deferred-observer.ts).
  const requests = new DeferredObserver(createRequestObserver({ logger, metrics, knownScopes: () => knownScopes(watcher.current()) }), (error) =>
    logger.warn({ err: error }, "request log or metrics failed"),
  );
  const orchestrator = new Orchestrator({
    config: () => watcher.current(),
    providers,
    schemas,
    ensemble: createEnsemble({
      validator: createOutputValidator(schemas),
      clock,
      winRates: winRates.store,
      judges: (name) => providers.named(watcher.current(), name),
      onError: (error) => logger.warn({ err: error }, "ensemble side task failed"),
      breakers,
      hedgeBudget,
      latency: new LatencyTracker(),
      observer: ensembleObservers(metrics.ensemble, tracing.ensemble),
    }),
    clock,
    observer: requests,
    tenantLimits: security.tenantGate,
    dependencies: [() => security.readiness()],
    cache: memo.cache,
    idempotency: memo.idempotency,
  });

  metrics.watchProviderHealth(() => providers.health(watcher.current()));
  metrics.watchBreakers(() => breakerSamples(watcher.current(), breakers));
  metrics.watchReadiness(() => orchestrator.readiness());

  const server = createPoolServer(serverOptionsFrom(initial.server), {
    service: observedService(orchestrator, { tracing, inferStarted: () => metrics.inferStarted() }),
    // Public families for anyone with metrics_public = true; with false, a credential holding the
    // "metrics" scope, which also sees the operator families.
    metrics: (audience) => metrics.render(audience),
    status: async () =>
      renderStatusPage(await metrics.status(), { configVersion: watcher.current().version, renderedAt: new Date(clock.now()).toISOString() }),
    auth: security.auth,
    logger,
    clock,
    transportObserver: transportMetrics(metrics.transport, logger, clock),
    // The OpenAI and Ollama doors; whether they are on is read at start, the models they serve follow reloads.
    doors: {
      catalog: modelCatalog(() => watcher.current()),
      openai: initial.server.openai_compatible,
      ...(initial.server.ollama && { ollama: initial.server.ollama }),
    },
    // Read per request, so a reload that changes the list applies to the next request.
    corsAllowedOrigins: () => watcher.current().server.cors_allowed_origins,
  });
  const { port, ollamaPort } = await server.start();
  logger.info({ port, host: initial.server.host, config: initial.version, path: initial.path }, "llm-pool listening");
  if (ollamaPort !== undefined) logger.info({ port: ollamaPort, host: initial.server.ollama!.host }, "Ollama-compatible door listening");

  return {
    port,
    ...(ollamaPort !== undefined && { ollamaPort }),
    config: () => watcher.current(),
    async warmedUp() {
      await providers.warming?.();
    },
    async close() {
      const grace = watcher.current().server.shutdown_grace_ms;
      logger.info({ grace_ms: grace }, "draining");
      await server.close(grace);
      await security.close();
      await memo.close();
      await winRates.close();
      await watcher.close();
      await providers.close?.();
      await tracing.shutdown();
      requests.flush();
      logger.info({}, "stopped");
      logger.flush();
    },
  };
}

const scopesBySnapshot = new WeakMap<ConfigSnapshot, ReadonlyMap<string, readonly string[]>>();

/** Tenants and projects known to the config, for bounded metric labels; built once per snapshot. */
function knownScopes(config: ConfigSnapshot): ReadonlyMap<string, readonly string[]> {
  let scopes = scopesBySnapshot.get(config);
  if (!scopes) {
    const built = new Map<string, readonly string[]>([["default", ["default"]]]);
    for (const tenant of Object.values(config.tenancy.tenants)) built.set(tenant.id, tenant.projects);
    scopesBySnapshot.set(config, (scopes = built));
  }
  return scopes;
}
