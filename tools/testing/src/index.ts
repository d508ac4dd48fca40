export { startRedis, type RedisProcess } from "./redis-server.js";
