import type { EnsembleObserver } from "@llm-pool/core";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { createCacheMetrics, type CacheMetrics } from "./cache-metrics.js";
import { createEnsembleMetrics } from "./ensemble-metrics.js";
import { createInferMetrics, type InferLabels, type InferResult } from "./infer-metrics.js";
import { createQosMetrics, type QosMetrics } from "./qos-metrics.js";
import { createSecurityMetrics, type SecurityMetrics } from "./security-metrics.js";
import { createStateMetrics, type StateMetrics } from "./state-metrics.js";
import { statusSummary, type StatusSummary } from "./status-summary.js";
import { createTransportMetrics, type TransportMetrics } from "./transport-metrics.js";

/**
 * Who reads the metrics: anyone (`[server] metrics_public = true`) or an
 * operator whose credential holds the "metrics" scope.
 */
export type MetricsAudience = "public" | "operator";

/**
 * Every metric the pool exports, defined here and nowhere else (the list in
 * docs/OBSERVABILITY.md is checked against it). The composition root builds
 * one PoolMetrics and wires each part's observer to it; nothing registers
 * metrics globally.
 */
export interface PoolMetrics extends StateMetrics {
  /** Families anyone may read: no credential ids, no reasons why a request was refused. */
  readonly registry: Registry;
  /**
   * Families for operators only (which key ids were used, why requests were
   * refused): rendered only for the "operator" audience.
   */
  readonly operatorRegistry: Registry;
  /** Records one finished Infer call: its duration, its outcome code and a stream's first token. */
  observeInfer(labels: InferLabels, result: InferResult): void;
  /** One Infer call started; call the returned function when it ends (llmpool_infer_in_flight). */
  inferStarted(): () => void;
  /** Records a config reload attempt. */
  observeConfigReload(result: "success" | "failure"): void;
  /** Records a circuit breaker opening (R-OBS-1 `llmpool_breaker_open_total`). */
  observeBreakerOpen(provider: string, task: string): void;
  /** The answer cache and idempotency stages (shaped like libs/cache's CacheObserver). */
  readonly cache: CacheMetrics;
  /** The auth step, rate limits, quotas and security stores. */
  readonly security: SecurityMetrics;
  /** What the transport refused before any route. */
  readonly transport: TransportMetrics;
  /** Provider calls, hedges, decisions and fallbacks, handed to the ensemble. */
  readonly ensemble: EnsembleObserver;
  /** How engine calls ended and each engine's learned limit and queue (docs/QOS.md). */
  readonly qos: QosMetrics;
  /** What the status page shows, from the same public families. */
  status(): Promise<StatusSummary>;
  /** The exposition text for GET /metrics: the public families, and the operator ones for an operator. */
  render(audience?: MetricsAudience): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Node's process metrics under `llmpool_process_`; default true. */
  readonly defaultMetrics?: boolean;
  /** Reads time for call durations; default Date.now. */
  readonly now?: () => number;
}

export function createMetrics(options: MetricsOptions = {}): PoolMetrics {
  const registry = new Registry();
  const operatorRegistry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "llmpool_process_" });

  const infer = createInferMetrics(registry);
  const reloads = new Counter({
    name: "llmpool_config_reload_total",
    help: "Config reload attempts by result.",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const lastReload = new Gauge({
    name: "llmpool_config_last_reload_success",
    help: "1 if the last config reload succeeded, 0 if it failed (the previous config is still serving).",
    registers: [registry],
  });
  lastReload.set(1);
  const breakerOpens = new Counter({
    name: "llmpool_breaker_open_total",
    help: "Times a circuit breaker opened, per provider and task.",
    labelNames: ["provider", "task"] as const,
    registers: [registry],
  });

  return {
    registry,
    operatorRegistry,
    ...createStateMetrics(registry),
    observeInfer: (labels, result) => infer.observe(labels, result),
    inferStarted: () => infer.started(),
    observeConfigReload(result) {
      reloads.inc({ result });
      lastReload.set(result === "success" ? 1 : 0);
    },
    observeBreakerOpen: (provider, task) => breakerOpens.inc({ provider, task }),
    cache: createCacheMetrics(registry),
    security: createSecurityMetrics({ public: registry, operator: operatorRegistry }),
    transport: createTransportMetrics(registry),
    ensemble: createEnsembleMetrics(registry, options.now ?? Date.now),
    qos: createQosMetrics(registry),
    status: () => statusSummary(registry),
    async render(audience = "public") {
      const source = audience === "operator" ? Registry.merge([registry, operatorRegistry]) : registry;
      return { contentType: registry.contentType, body: await source.metrics() };
    },
  };
}
