export { startRedis, type RedisProcess } from "./redis-server.js";
export { launchChromium, type HeadlessChromium } from "./headless-chromium.js";
