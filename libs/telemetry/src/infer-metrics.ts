import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Labels of one finished Infer call (R-OBS-1), every value from the config or a closed set. */
export interface InferLabels {
  readonly tenant: string;
  readonly project: string;
  readonly task: string;
  readonly strategy: string;
  /** The winning provider, or "none" when the call failed. */
  readonly provider: string;
}

/** 10 ms to 10 s, dense around the one-second target of the hooks. */
export const INFER_BUCKETS_MS = [10, 25, 50, 100, 200, 350, 500, 750, 900, 1000, 1200, 1500, 2000, 3000, 5000, 10000];

/** How Infer calls went: durations, outcomes, timeouts and how many are running now. */
export interface InferMetrics {
  /** Records one finished Infer call: its duration and its outcome code ("ok" or an error code). */
  observe(labels: InferLabels, durationMs: number, code: string): void;
  /** One Infer call started; call the returned function once when it ends, however it ends. */
  started(): () => void;
}

export function createInferMetrics(registry: Registry): InferMetrics {
  const duration = new Histogram({
    name: "llmpool_infer_duration_ms",
    help: "Time from arrival to answer of Infer calls, in milliseconds.",
    labelNames: ["tenant", "project", "task", "strategy", "provider"] as const,
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
  const inFlight = new Gauge({
    name: "llmpool_infer_in_flight",
    help: "Infer calls running now, every transport together.",
    registers: [registry],
  });
  return {
    observe(labels, durationMs, code) {
      const { tenant, project, task, strategy } = labels;
      duration.observe({ ...labels }, durationMs);
      requests.inc({ tenant, project, task, strategy, code });
      if (code === "deadline_exceeded") timeouts.inc({ tenant, project, task, strategy });
    },
    started() {
      inFlight.inc();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inFlight.dec();
      };
    },
  };
}
