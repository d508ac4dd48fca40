import { mergeConfig } from "vitest/config";
import { workspaceSource } from "../../../vitest.shared.js";

// One real pool for every spec file (started in test/global-setup.ts, reached with inject("pool")).
export default mergeConfig(workspaceSource, { test: { globalSetup: ["test/global-setup.ts"], testTimeout: 60_000, hookTimeout: 120_000 } });
