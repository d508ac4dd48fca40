// The pool server's edges. The composition root (main.ts) builds the
// service and passes it with the `[server]` options to createPoolServer.
export { createPoolServer, type PoolServer, type PoolServerDeps } from "./pool-server.js";
export { defaultServerOptions, resolveServerOptions, type ServerOptions, type TlsOptions } from "./server-options.js";
export type { EdgeService, InferEvent, StreamingInfer } from "./infer-stream.js";
export type { MetricsSource, StatusSource } from "./http/app.js";
export type { ErrorBody } from "./http/errors.js";
export type { EdgeLogger } from "./logger.js";

// For other packages (tests, SDK round-trips, tools) that need the wire mappings.
export { httpStatusOf } from "./http/errors.js";
export { rpcCodeOf } from "./rpc/errors.js";
export { Health as GrpcHealthService, HealthCheckResponse_ServingStatus } from "./rpc/grpc-health-descriptor.js";
