export { createMetrics, type MetricsAudience, type PoolMetrics } from "./metrics.js";
export type { SecurityMetrics } from "./security-metrics.js";
export type { TransportMetrics } from "./transport-metrics.js";
export type { BreakerSample } from "./state-metrics.js";
export type { StatusSummary } from "./status-summary.js";
export { createLogger, logRequest, type Logger } from "./request-log.js";
export { createTracing, type RequestSpanEnd, type Tracing } from "./tracing/tracing.js";
export type { SpanExporter } from "@opentelemetry/sdk-trace";
export { ensembleObservers } from "./ensemble-observers.js";
