import type { Registry } from "prom-client";
import { histogramQuantile, type Bucket } from "./histogram-quantile.js";

/** What the built-in status page shows, read from the same registry /metrics renders. */
export interface StatusSummary {
  readonly ready: boolean;
  readonly providers: readonly ProviderStatus[];
  readonly tasks: readonly TaskStatus[];
  readonly winRates: readonly { readonly provider: string; readonly task: string; readonly rate: number }[];
  /** llmpool_cache_hit_ratio: (hit + coalesced) / lookups since start. */
  readonly cacheHitRatio: number;
  readonly hedgesFired: number;
  readonly hedgesWon: number;
  /** Hedges fired per FASTEST decision since start; undefined before the first one. */
  readonly hedgeRate: number | undefined;
}

export interface ProviderStatus {
  readonly name: string;
  /** unknown, healthy, degraded or unhealthy. */
  readonly health: string;
  /** Each task's breaker for this provider. */
  readonly breakers: readonly { readonly task: string; readonly state: string }[];
}

export interface TaskStatus {
  readonly task: string;
  readonly requests: number;
  readonly timeouts: number;
  /** Latency percentiles in ms since start (from llmpool_infer_duration_ms); undefined before any call. */
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
}

interface Value {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName?: string;
}

/** Reads the registry's current values and sums them into what the status page shows. */
export async function statusSummary(registry: Registry): Promise<StatusSummary> {
  const families = new Map<string, readonly Value[]>();
  for (const metric of await registry.getMetricsAsJSON()) families.set(metric.name, metric.values as Value[]);
  const values = (name: string) => families.get(name) ?? [];
  const sum = (name: string, where: (labels: Value["labels"]) => boolean = () => true) =>
    values(name).filter((v) => where(v.labels)).reduce((total, v) => total + v.value, 0);

  const breakers = new Map<string, { task: string; state: string }[]>();
  for (const v of values("llmpool_breaker_state")) {
    if (v.value !== 1) continue;
    const provider = String(v.labels.provider);
    breakers.set(provider, [...(breakers.get(provider) ?? []), { task: String(v.labels.task), state: String(v.labels.state) }]);
  }
  const providers = values("llmpool_provider_health")
    .filter((v) => v.value === 1)
    .map((v) => ({ name: String(v.labels.provider), health: String(v.labels.state), breakers: breakers.get(String(v.labels.provider)) ?? [] }));

  const fastestDecisions = sum("llmpool_ensemble_decision_total", (l) => l.strategy === "FASTEST");
  const hedgesFired = sum("llmpool_hedges_fired_total");
  return {
    ready: sum("llmpool_ready") === 1,
    providers,
    tasks: taskStatuses(values("llmpool_infer_duration_ms"), values("llmpool_timeouts_total")),
    winRates: values("llmpool_provider_win_rate").map((v) => ({ provider: String(v.labels.provider), task: String(v.labels.task), rate: v.value })),
    cacheHitRatio: sum("llmpool_cache_hit_ratio"),
    hedgesFired,
    hedgesWon: sum("llmpool_hedges_won_total"),
    hedgeRate: fastestDecisions === 0 ? undefined : hedgesFired / fastestDecisions,
  };
}

/** Per task: requests, timeouts and latency percentiles, every tenant, project, strategy and provider together. */
function taskStatuses(durations: readonly Value[], timeouts: readonly Value[]): TaskStatus[] {
  const buckets = new Map<string, Map<number, number>>();
  const counts = new Map<string, number>();
  for (const v of durations) {
    const task = String(v.labels.task);
    if (v.metricName === "llmpool_infer_duration_ms_count") counts.set(task, (counts.get(task) ?? 0) + v.value);
    if (v.metricName !== "llmpool_infer_duration_ms_bucket") continue;
    const le = v.labels.le === "+Inf" ? Infinity : Number(v.labels.le);
    const byLe = buckets.get(task) ?? new Map<number, number>();
    byLe.set(le, (byLe.get(le) ?? 0) + v.value);
    buckets.set(task, byLe);
  }
  return [...counts.keys()].sort().map((task) => {
    const cumulative: Bucket[] = [...(buckets.get(task) ?? new Map()).entries()].map(([le, count]) => ({ le, count }));
    return {
      task,
      requests: counts.get(task) ?? 0,
      timeouts: timeouts.filter((v) => v.labels.task === task).reduce((total, v) => total + v.value, 0),
      p50: histogramQuantile(0.5, cumulative),
      p95: histogramQuantile(0.95, cumulative),
      p99: histogramQuantile(0.99, cumulative),
    };
  });
}
