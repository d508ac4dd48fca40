import { mergeConfig } from "vitest/config";
import { workspaceSource } from "../../vitest.shared.js";

// Each file starts real processes (nginx, pools, redis-server): one file at a time on 2 cores.
export default mergeConfig(workspaceSource, {
  test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 90_000 },
});
