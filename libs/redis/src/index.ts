export { probeRedis, type ProbeTimer, type RedisProbe, type RedisProbeOptions } from "./redis-probe.js";
export { createFailFastRedis, redisReady, type FailFastRedisOptions } from "./fail-fast-redis.js";
