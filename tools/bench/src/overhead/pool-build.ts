import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@llm-pool/deploy-e2e";

/**
 * The compiled CLI, as the container runs it (`deploy/Dockerfile`: `node apps/pool/dist/cli.js serve --config
 * FILE`). The benches measure this, not `npm start`'s tsx: tsx compiles with esbuild's `keepNames`, which wraps
 * every named closure in a `__name` call per creation, and that alone costs the pool several percent of its CPU
 * per request that the shipped build does not pay.
 */
export const BUILT_POOL_ENTRY = ["apps/pool/dist/cli.js", "serve", "--config"] as const;

/**
 * Builds the pool and the libraries it imports with tsc through Nx, as the image build does (from Nx's cache
 * when nothing changed, so a bench never measures a stale build). Nx's output goes to stderr: stdout is the
 * bench's tables.
 */
export function buildPool(): void {
  const result = spawnSync("npx", ["--no-install", "nx", "run", "@llm-pool/pool:build", "--outputStyle=stream"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true" },
  });
  if (result.status !== 0 || !existsSync(join(REPO_ROOT, BUILT_POOL_ENTRY[0]))) {
    throw new Error(`building the pool failed (npx nx run @llm-pool/pool:build exited ${result.status ?? result.signal})`);
  }
}
