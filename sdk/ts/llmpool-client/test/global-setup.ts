// Starts one real pool for every spec file, the way the Python and Rust suites do: the SDK test
// pool's CLI as a child process, whose first stdout line describes it; closing its stdin stops it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { TestPoolInfo } from "@llm-pool/sdk-test-pool";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pool: TestPoolInfo;
  }
}

const ROOT = join(import.meta.dirname, "../../../..");

export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, ["--conditions=@llm-pool/source", "--import", "tsx", "sdk/ts/test-pool/src/cli.ts"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the SDK test pool exited with ${code} before it started`)));
  });
  project.provide("pool", JSON.parse(line) as TestPoolInfo);
  return async () => {
    child.stdin.end();
    await exited;
  };
}
