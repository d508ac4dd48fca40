export { createMetrics, type MetricsAudience, type MetricsOptions, type PoolMetrics } from "./metrics.js";
export { INFER_BUCKETS_MS, type InferLabels } from "./infer-metrics.js";
export type { CacheMetrics } from "./cache-metrics.js";
export type { SecurityMetrics } from "./security-metrics.js";
export type { TransportMetrics } from "./transport-metrics.js";
export type { BreakerSample, ProviderHealthSample, WinRateSample } from "./state-metrics.js";
export { createLogger, logRequest, type Logger, type LoggerOptions, type RequestLogRecord } from "./request-log.js";
