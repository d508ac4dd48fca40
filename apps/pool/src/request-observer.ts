import type { InferObserver, InferRecord } from "@llm-pool/core";
import { logRequest, type Logger, type PoolMetrics } from "@llm-pool/telemetry";

/** Label for tenants and projects outside the config, so metrics stay bounded. */
const OTHER = "_other";
/** Label for a call no edge said the way in of (one made without a transport). */
const UNKNOWN = "unknown";

export interface RequestObserverOptions {
  readonly logger: Logger;
  readonly metrics: PoolMetrics;
  /** Tenants named in the config, with their projects; anything else is labelled "_other" in metrics. */
  readonly knownScopes: () => ReadonlyMap<string, readonly string[]>;
}

/**
 * Turns each finished query into one log line and its metrics (R-OBS-1,
 * R-OBS-2), whichever way it came in: both say the API, transport and mode.
 * Log lines carry the real tenant; metric labels only known ones.
 */
export function createRequestObserver(options: RequestObserverOptions): InferObserver {
  return {
    onInfer(record: InferRecord): void {
      const projects = options.knownScopes().get(record.tenant);
      const api = record.entry?.api ?? UNKNOWN;
      const transport = record.entry?.transport ?? UNKNOWN;
      const mode = record.streamed ? "stream" : "unary";
      const firstToken = record.firstTokenMs === undefined ? {} : { firstTokenMs: record.firstTokenMs };
      options.metrics.observeInfer(
        {
          tenant: projects ? record.tenant : OTHER,
          project: projects?.includes(record.project) ? record.project : OTHER,
          task: record.task,
          strategy: record.strategy,
          provider: record.winnerProvider || "none",
          api,
          transport,
          mode,
        },
        { durationMs: record.durationMs, code: record.outcome, ...firstToken },
      );
      logRequest(options.logger, {
        request_id: record.requestId,
        tenant: record.tenant,
        project: record.project,
        task: record.task,
        strategy: record.strategy,
        winner_model: record.winnerModel,
        duration_ms: record.durationMs,
        from_cache: record.fromCache,
        outcome: record.outcome,
        api,
        transport,
        mode,
        ...(record.firstTokenMs === undefined ? {} : { first_token_ms: record.firstTokenMs }),
        ...(record.error ? { error: describe(record.error) } : {}),
        ...(record.prompt === undefined ? {} : { prompt: record.prompt }),
      });
    },
  };
}

/** The error's message, and for internal errors the hidden cause (logs only). */
function describe(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`.slice(0, 512);
}
