// A real Prometheus (Debian's package) owned by one test suite: scrapes the given targets every
// second and loads the given rule files. Missing binary: a clear error, never a skipped test.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PrometheusProcess {
  readonly url: string;
  /** An instant query at `time` (unix seconds): Prometheus's own answer, error or not. */
  query(expr: string, time?: number): Promise<PromResponse>;
  /** A range query from `start` to `end` (unix seconds) every `step` seconds. */
  queryRange(expr: string, start: number, end: number, step: number): Promise<PromRangeResponse>;
  stop(): Promise<void>;
}

export interface PromResponse {
  readonly status: "success" | "error";
  readonly error?: string;
  readonly data?: { readonly resultType: string; readonly result: readonly { metric: Record<string, string>; value?: [number, string] }[] };
}

export interface PromRangeResponse {
  readonly status: "success" | "error";
  readonly error?: string;
  readonly data?: { readonly result: readonly { metric: Record<string, string>; values: [number, string][] }[] };
}

const binary = process.env.LLMPOOL_PROMETHEUS ?? "/usr/bin/prometheus";

export async function startPrometheus(options: { targets: readonly string[]; ruleFiles?: readonly string[] }): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-prometheus-"));
  const port = await freePort();
  const config = [
    "global:",
    "  scrape_interval: 1s",
    "  evaluation_interval: 1s",
    `rule_files: [${(options.ruleFiles ?? []).map((f) => JSON.stringify(f)).join(", ")}]`,
    "scrape_configs:",
    "  - job_name: llm-pool",
    "    static_configs:",
    `      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(", ")}]`,
  ].join("\n");
  writeFileSync(join(dir, "prometheus.yml"), `${config}\n`);
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`cannot start ${binary} (apt-get install prometheus): ${error.message}`)));
    child.once("spawn", () => resolve());
  });
  await spawned;
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > end) throw new Error(`prometheus not ready after 20 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(expr, time) {
      const params = new URLSearchParams({ query: expr, ...(time === undefined ? {} : { time: String(time) }) });
      return (await (await fetch(`${url}/api/v1/query?${params}`)).json()) as PromResponse;
    },
    async queryRange(expr, start, end, step) {
      const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
      return (await (await fetch(`${url}/api/v1/query_range?${params}`)).json()) as PromRangeResponse;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
