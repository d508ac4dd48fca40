export { startRedis, type RedisProcess } from "./redis-server.js";
export { launchChromium, type HeadlessChromium } from "./headless-chromium.js";
export { repoRoot, runBlock, shellBlock, shellBlocks, type BlockRun, type ShellBlock } from "./doc-blocks.js";
