import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Labels of one finished Infer call (R-OBS-1), every value from the config or a closed set. */
export interface InferLabels {
  readonly tenant: string;
  readonly project: string;
  readonly task: string;
  readonly strategy: string;
  /** The winning provider, or "none" when the call failed. */
  readonly provider: string;
  /** The API the client spoke: "native", "openai" or "ollama" ("unknown" when no edge said). */
  readonly api: string;
  /** "grpc", "grpc_web", "connect" or "http" ("unknown" when no edge said). */
  readonly transport: string;
  /** "unary", or "stream" when the client asked for the answer streamed. */
  readonly mode: "unary" | "stream";
}

/** How one Infer call went. */
export interface InferResult {
  /** From arrival to the answer (or the error). */
  readonly durationMs: number;
  /** "ok" or the error's machine code. */
  readonly code: string;
  /** A streamed call only: from arrival to the first text sent; absent when none was. */
  readonly firstTokenMs?: number;
}

/** 10 ms to 10 s, dense around the one-second target of the hooks. */
export const INFER_BUCKETS_MS = [10, 25, 50, 100, 200, 350, 500, 750, 900, 1000, 1200, 1500, 2000, 3000, 5000, 10000];

/** How Infer calls went: durations, outcomes, timeouts and how many are running now. */
export interface InferMetrics {
  /** Records one finished Infer call: its duration, its outcome code and a stream's first token. */
  observe(labels: InferLabels, result: InferResult): void;
  /** One Infer call started; call the returned function once when it ends, however it ends. */
  started(): () => void;
}

export function createInferMetrics(registry: Registry): InferMetrics {
  const duration = new Histogram({
    name: "llmpool_infer_duration_ms",
    help: "Time from arrival to answer of Infer calls, in milliseconds.",
    labelNames: ["tenant", "project", "task", "strategy", "provider", "api", "transport", "mode"] as const,
    buckets: INFER_BUCKETS_MS,
    registers: [registry],
  });
  const firstToken = new Histogram({
    name: "llmpool_time_to_first_token_ms",
    help: "Time from arrival to the first text sent of streamed Infer calls, in milliseconds.",
    labelNames: ["tenant", "project", "task", "strategy", "provider", "api", "transport"] as const,
    buckets: INFER_BUCKETS_MS,
    registers: [registry],
  });
  const requests = new Counter({
    name: "llmpool_requests_total",
    help: "Infer calls by outcome code (ok or an error code), by the way they came in.",
    labelNames: ["tenant", "project", "task", "strategy", "api", "transport", "mode", "code"] as const,
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
    observe(labels, { durationMs, code, firstTokenMs }) {
      const { tenant, project, task, strategy, provider, api, transport, mode } = labels;
      duration.observe({ tenant, project, task, strategy, provider, api, transport, mode }, durationMs);
      if (firstTokenMs !== undefined) firstToken.observe({ tenant, project, task, strategy, provider, api, transport }, firstTokenMs);
      requests.inc({ tenant, project, task, strategy, api, transport, mode, code });
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
