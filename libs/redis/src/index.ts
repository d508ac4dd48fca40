// @llm-pool/redis — how the pool talks to Redis: one fail-fast client factory, one outage gate and
// a readiness probe, shared by the cache, the security stores and the win-rates.
export { probeRedis } from "./redis-probe.js";
export { createFailFastRedis, redisReady, type FailFastRedisOptions } from "./fail-fast-redis.js";
export { OutageGate, type GateResult } from "./outage-gate.js";
