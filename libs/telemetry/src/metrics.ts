import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Labels of one finished Infer call (R-OBS-1). */
export interface InferLabels {
  readonly tenant: string;
  readonly project: string;
  readonly task: string;
  readonly strategy: string;
  /** The winning provider, or "none" when the call failed. */
  readonly provider: string;
}

/** One provider's win-rate for one task (R-ENS-3), as the win-rate store knows it now. */
export interface WinRateSample {
  readonly provider: string;
  readonly task: string;
  /** In [0, 1]; 0.5 is the neutral prior. */
  readonly rate: number;
}

/**
 * Who reads the metrics: anyone (`[server] metrics_public = true`) or an
 * operator whose credential holds the "metrics" scope.
 */
export type MetricsAudience = "public" | "operator";

/**
 * PoolMetrics owns two prom-client registries. The composition root builds
 * them and passes them down; nothing registers metrics globally.
 */
export interface PoolMetrics {
  /** Families anyone may read: no credential ids, no reasons why a request was refused. */
  readonly registry: Registry;
  /**
   * Families for operators only (which key ids were used, why requests were
   * refused): they tell an attacker which credentials exist and which check
   * failed, so they are rendered only for the "operator" audience.
   */
  readonly operatorRegistry: Registry;
  /** Records one Infer call: its duration and its outcome code. */
  observeInfer(labels: InferLabels, durationMs: number, code: string): void;
  /** Records a config reload attempt. */
  observeConfigReload(result: "success" | "failure"): void;
  /** Records a circuit breaker opening (R-OBS-1 `llmpool_breaker_open_total`). */
  observeBreakerOpen(provider: string, task: string): void;
  /** Records one cache lookup: a hit, a miss, or a miss coalesced onto one already running. */
  observeCacheLookup(task: string, outcome: "hit" | "miss" | "coalesced"): void;
  /** Records what the idempotency stage did with a client request_id. */
  observeIdempotency(outcome: string): void;
  /**
   * Reports `llmpool_provider_win_rate{provider,task}` from `source` at each
   * scrape (R-OBS-1); a later call replaces the source. Only the pairs it
   * returns are exported, so a provider gone from the config disappears.
   */
  watchWinRates(source: () => Iterable<WinRateSample>): void;
  /** Records one ensemble decision: the strategy asked for and the one that decided (after fallbacks). */
  observeDecision(strategy: string, applied: string): void;
  /** Exports each provider's health (1 for its current state) from `source` at every scrape. */
  watchProviderHealth(source: () => readonly { readonly name: string; readonly state: string }[]): void;
  /** The exposition text for GET /metrics: the public families, and the operator ones for an operator. */
  render(audience?: MetricsAudience): Promise<{ contentType: string; body: string }>;
}

const PROVIDER_STATES = ["unknown", "healthy", "degraded", "unhealthy"] as const;

/** 10 ms to 10 s, dense around the one-second target of the hooks. */
export const INFER_BUCKETS_MS = [10, 25, 50, 100, 200, 350, 500, 750, 900, 1000, 1200, 1500, 2000, 3000, 5000, 10000];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): PoolMetrics {
  const registry = new Registry();
  const operatorRegistry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "llmpool_process_" });

  const inferLabels = ["tenant", "project", "task", "strategy", "provider"] as const;
  const duration = new Histogram({
    name: "llmpool_infer_duration_ms",
    help: "Time from arrival to answer of Infer calls, in milliseconds.",
    labelNames: inferLabels,
    buckets: INFER_BUCKETS_MS,
    registers: [registry],
  });
  const requests = new Counter({
    name: "llmpool_requests_total",
    help: "Infer calls by outcome code (ok or an error code).",
    labelNames: ["tenant", "project", "task", "strategy", "code"] as const,
    registers: [registry],
  });
  const timeouts = new Counter({
    name: "llmpool_timeouts_total",
    help: "Infer calls that ran out of their deadline.",
    labelNames: ["tenant", "project", "task", "strategy"] as const,
    registers: [registry],
  });
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

  const cacheLookups = new Counter({
    name: "llmpool_cache_lookups_total",
    help: "Answer cache lookups by task and outcome (hit, miss, coalesced).",
    labelNames: ["task", "outcome"] as const,
    registers: [registry],
  });
  const lookupCounts = { hit: 0, miss: 0, coalesced: 0 };
  new Gauge({
    name: "llmpool_cache_hit_ratio",
    help: "Share of cache lookups answered without a new ensemble run ((hit + coalesced) / all), since start.",
    registers: [registry],
    collect() {
      const served = lookupCounts.hit + lookupCounts.coalesced;
      const all = served + lookupCounts.miss;
      this.set(all === 0 ? 0 : served / all);
    },
  });
  const idempotency = new Counter({
    name: "llmpool_idempotency_total",
    help: "Queries with a client request_id by what the idempotency stage did (first, replayed, waited, conflict, ...).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });

  const decisions = new Counter({
    name: "llmpool_ensemble_decision_total",
    help: "Ensemble decisions by requested strategy and the strategy that decided after any fallback.",
    labelNames: ["strategy", "applied"] as const,
    registers: [registry],
  });
  let healthSource: () => readonly { readonly name: string; readonly state: string }[] = () => [];
  new Gauge({
    name: "llmpool_provider_health",
    help: "1 for each provider's current health state (unknown, healthy, degraded, unhealthy).",
    labelNames: ["provider", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of healthSource()) {
        for (const state of PROVIDER_STATES) this.set({ provider: p.name, state }, p.state === state ? 1 : 0);
      }
    },
  });

  let winRates: () => Iterable<WinRateSample> = () => [];
  new Gauge({
    name: "llmpool_provider_win_rate",
    help: "Share of ensemble decisions won by the provider for the task, decayed over time (0.5 = no history).",
    labelNames: ["provider", "task"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, task, rate } of winRates()) this.set({ provider, task }, rate);
    },
  });

  return {
    registry,
    operatorRegistry,
    observeInfer(labels, durationMs, code) {
      const { tenant, project, task, strategy } = labels;
      duration.observe({ ...labels }, durationMs);
      requests.inc({ tenant, project, task, strategy, code });
      if (code === "deadline_exceeded") timeouts.inc({ tenant, project, task, strategy });
    },
    observeConfigReload(result) {
      reloads.inc({ result });
      lastReload.set(result === "success" ? 1 : 0);
    },
    observeBreakerOpen(provider, task) {
      breakerOpens.inc({ provider, task });
    },
    observeCacheLookup(task, outcome) {
      lookupCounts[outcome]++;
      cacheLookups.inc({ task, outcome });
    },
    observeIdempotency(outcome) {
      idempotency.inc({ outcome });
    },
    watchWinRates(source) {
      winRates = source;
    },
    observeDecision(strategy, applied) {
      decisions.inc({ strategy, applied });
    },
    watchProviderHealth(source) {
      healthSource = source;
    },
    async render(audience = "public") {
      const source = audience === "operator" ? Registry.merge([registry, operatorRegistry]) : registry;
      return { contentType: registry.contentType, body: await source.metrics() };
    },
  };
}
