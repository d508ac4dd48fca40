import type { Clock } from "@llm-pool/core";
import { Counter, type Registry } from "prom-client";
import type { EdgeLogger } from "../logger.js";
import { LogThrottle } from "./log-throttle.js";
import type { TransportObserver } from "./transport-observer.js";

/** At most one log line per refusal reason in this window. */
const LOG_INTERVAL_MS = 10_000;

/**
 * The transport's refusals as `llmpool_transport_refused_total{reason}` on
 * the pool's registry, and as a warning in the log, rate-limited per reason
 * (with the number of lines held back).
 */
export function transportMetrics(registry: Registry, logger: EdgeLogger, clock: Clock): TransportObserver {
  const refused = new Counter({
    name: "llmpool_transport_refused_total",
    help: "Connections, streams and requests the transport refused before any route, by reason.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const throttle = new LogThrottle(clock, LOG_INTERVAL_MS);
  return {
    refused(reason, detail = {}) {
      refused.inc({ reason });
      const pass = throttle.pass(reason);
      if (pass) logger.warn({ ...detail, reason, suppressed: pass.suppressed }, "transport refused a connection or request");
    },
  };
}
