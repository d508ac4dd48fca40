export { createMetrics, INFER_BUCKETS_MS, type InferLabels, type MetricsAudience, type PoolMetrics } from "./metrics.js";
export { createLogger, logRequest, type Logger, type LoggerOptions, type RequestLogRecord } from "./request-log.js";
