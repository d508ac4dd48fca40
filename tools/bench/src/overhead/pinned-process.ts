import { spawn, spawnSync } from "node:child_process";
import { REPO_ROOT } from "@llm-pool/deploy-e2e";

/** A server the bench runs in its own process, optionally pinned to CPUs, that printed its URL when ready. */
export interface PinnedProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** The CPU list it is pinned to ("0"), or undefined when taskset is missing. */
  readonly cpus: string | undefined;
  /** performance.now() when it was spawned (a CPU profile's samples count from about then). */
  readonly spawnedAt: number;
  /** Lines written to stdout since it was ready (for the pool: one per request log). */
  linesSinceReady(): number;
  /** SIGTERM, then SIGKILL after `killAfterMs`; resolves once it has exited. */
  stop(killAfterMs?: number): Promise<void>;
}

export interface PinnedProcessOptions {
  readonly name: string;
  /** node's arguments (the script and its own arguments). */
  readonly nodeArgs: readonly string[];
  /** CPU list for `taskset -c` ("0", "1", "0-1"). */
  readonly cpus?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Reads one stdout line; returns the server's URL once the line says it is listening. */
  readonly ready: (line: string) => string | undefined;
  readonly startTimeoutMs?: number;
}

/** Whether `taskset` (util-linux) can pin processes here. */
export function canPin(): boolean {
  return spawnSync("taskset", ["-c", "0", "true"]).status === 0;
}

/** Starts `node ...nodeArgs` from the repository root under `taskset -c cpus` (the pid is node's: taskset execs it). */
export function startPinnedProcess(options: PinnedProcessOptions): Promise<PinnedProcess> {
  const cpus = options.cpus !== undefined && canPin() ? options.cpus : undefined;
  const [command, args] = cpus === undefined ? [process.execPath, [...options.nodeArgs]] : ["taskset", ["-c", cpus, process.execPath, ...options.nodeArgs]];
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let url: string | undefined;
  let lines = 0;
  let partial = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${options.name} did not start within ${options.startTimeoutMs ?? 90_000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      if (url !== undefined) {
        // Counting newlines is all the bench does with the logs: cheap on the generator's CPU.
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
        return;
      }
      partial += chunk.toString();
      let newline: number;
      while (url === undefined && (newline = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, newline);
        partial = partial.slice(newline + 1);
        url = options.ready(line);
      }
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        name: options.name,
        pid: child.pid!,
        url,
        cpus,
        spawnedAt,
        linesSinceReady: () => lines,
        async stop(killAfterMs = 10_000) {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
          await exited;
          clearTimeout(kill);
        },
      });
    });
    void exited.then(() => {
      clearTimeout(timer);
      if (url === undefined) reject(new Error(`${options.name} exited before it was ready:\n${stderr}`));
    });
  });
}

/** node's flags to run a TypeScript entry of the repository from source, as `npm start` does. */
export const SOURCE_NODE_FLAGS = ["--conditions=@llm-pool/source", "--import", "tsx"] as const;

/**
 * Pins this process (every thread) to `cpus`, so the load generator does not share the servers' core; `undo`
 * puts back the affinity it had. Without taskset it does nothing and `pinned` is undefined.
 */
export function pinSelf(cpus: string): { readonly pinned: string | undefined; undo(): void } {
  const pid = String(process.pid);
  const before = /([0-9a-f]+)\s*$/i.exec(spawnSync("taskset", ["-p", pid], { encoding: "utf8" }).stdout ?? "")?.[1];
  if (before === undefined || spawnSync("taskset", ["-a", "-p", "-c", cpus, pid]).status !== 0) return { pinned: undefined, undo() {} };
  return { pinned: cpus, undo: () => void spawnSync("taskset", ["-a", "-p", before, pid]) };
}
