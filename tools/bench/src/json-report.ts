import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "@llm-pool/deploy-e2e";

/** The machine a run was measured on: with shared, noisy machines, figures mean little without it. */
export interface Machine {
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run ended: how busy the machine was besides the bench. */
  readonly loadAverage: number;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cpus: list.length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}

/**
 * Writes `reports/bench/<mode>.json` (reports/ is not committed; $LLMPOOL_BENCH_REPORTS names another folder):
 * the command, the machine, when, and what the mode measured. Returns the path.
 */
export function writeJsonReport(mode: string, command: string, figures: unknown): string {
  const dir = process.env.LLMPOOL_BENCH_REPORTS ?? join(REPO_ROOT, "reports", "bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${mode}.json`);
  writeFileSync(path, `${JSON.stringify({ mode, command, at: new Date().toISOString(), machine: machine(), figures }, null, 2)}\n`);
  return path;
}
