import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startMockEngine, type Scenario } from "@llm-pool/mock-engine";

export interface HostedEngines {
  /** One URL per scenario, in order. */
  readonly urls: readonly string[];
  close(): Promise<void>;
}

/** Starts mock engines in a child process (engine-host) running under the same loader as this one. */
export async function hostEngines(scenarios: readonly Scenario[]): Promise<HostedEngines> {
  const host = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./engine-host.ts" : "./engine-host.js", import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, host, JSON.stringify(scenarios)], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([once(lines, "line"), exited.then(() => [undefined])])) as [string | undefined];
  if (first === undefined) throw new Error("the engine host exited before starting its engines");
  lines.close();
  return {
    urls: JSON.parse(first) as string[],
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * Starts mock engines in this process: for tests, whose workers cannot spawn
 * a child under the TypeScript loader. Engines and the pool side then share
 * one event loop, so timings are rougher; counts are unaffected.
 */
export async function hostEnginesInProcess(scenarios: readonly Scenario[]): Promise<HostedEngines> {
  const engines = await Promise.all(scenarios.map((scenario) => startMockEngine({ scenario })));
  return {
    urls: engines.map((e) => e.url),
    async close() {
      await Promise.all(engines.map((e) => e.close()));
    },
  };
}
