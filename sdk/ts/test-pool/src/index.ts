export { startTestPool, type TestKey, type TestPool, type TestPoolInfo } from "./test-pool.js";
export { SLOW_MODEL_MS, TASK_PROVIDERS } from "./pool-config.js";
