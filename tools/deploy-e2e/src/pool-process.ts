import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "./repo-paths.js";

/** A pool started the way the README starts it, as a child process. */
export interface PoolProcess {
  readonly port: number;
  readonly pid: number;
  /** `127.0.0.1:port`, for an upstream list. */
  readonly address: string;
  /** Every JSON log line so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM: drain) and waits for the exit; SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

/** The README's entry: `node --conditions=@llm-pool/source --import tsx apps/pool/src/cli.ts serve --config FILE`. */
export const POOL_COMMAND = ["--conditions=@llm-pool/source", "--import", "tsx", "apps/pool/src/cli.ts", "serve", "--config"];

/** Starts `llm-pool serve --config configPath` and resolves once it logs "llm-pool listening". */
export function startPoolProcess(configPath: string, env: Record<string, string>): Promise<PoolProcess> {
  const child = spawn(process.execPath, [...POOL_COMMAND, configPath], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the pool did not listen within 90 s:\n${stderr}`));
    }, 90_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(entry);
      if (entry.msg === "llm-pool listening" && typeof entry.port === "number") {
        clearTimeout(timer);
        const port = entry.port;
        resolve({
          port,
          pid: child.pid!,
          address: `127.0.0.1:${port}`,
          logs: () => lines,
          exited,
          async stop(signal = "SIGTERM", killAfterMs = 20_000) {
            if (child.exitCode !== null || child.signalCode !== null) return exited;
            child.kill(signal);
            const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
            const code = await exited;
            clearTimeout(kill);
            return code;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the pool exited with ${code} before listening:\n${stderr}`));
    });
  });
}
