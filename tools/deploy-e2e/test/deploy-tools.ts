import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../src/index.js";

const run = promisify(execFile);

/**
 * The path of a tool that deploy/scripts/NAME.sh installs into the cache (.ci/run installs them
 * first). A missing one is an error that says how to install it, never a skipped test.
 */
export function cachedTool(name: "helm" | "hadolint"): string {
  try {
    return execFileSync("bash", [join(REPO_ROOT, `deploy/scripts/${name}.sh`), "path"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`${name} is not installed: run bash deploy/scripts/${name}.sh install`);
  }
}

/** Runs a command from the repository root; resolves with its exit code and output, never throws on a non-zero exit. */
export async function runIn(command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
