export { startTestPool, type TestKey, type TestPool, type TestPoolInfo, type TestPoolOptions } from "./test-pool.js";
export { SLOW_MODEL_MS, TASK_PROVIDERS, type TestPoolTls } from "./pool-config.js";
