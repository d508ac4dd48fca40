export { createFailFastRedis, redisReady, type FailFastRedisOptions } from "./fail-fast-redis.js";
