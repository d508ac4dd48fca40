import type { Clock } from "@llm-pool/core";
import type { TransportMetrics } from "@llm-pool/telemetry";
import type { EdgeLogger } from "../logger.js";
import { LogThrottle } from "./log-throttle.js";
import type { TransportObserver } from "./transport-observer.js";

/** At most one log line per refusal reason in this window. */
const LOG_INTERVAL_MS = 10_000;

/**
 * The transport's refusals, wired to `llmpool_transport_refused_total{reason}`
 * (libs/telemetry) and to a warning in the log, rate-limited per reason
 * (with the number of lines held back).
 */
export function transportMetrics(metrics: TransportMetrics, logger: EdgeLogger, clock: Clock): TransportObserver {
  const throttle = new LogThrottle(clock, LOG_INTERVAL_MS);
  return {
    refused(reason, detail = {}) {
      metrics.refused(reason);
      const pass = throttle.pass(reason);
      if (pass) logger.warn({ ...detail, reason, suppressed: pass.suppressed }, "transport refused a connection or request");
    },
  };
}
