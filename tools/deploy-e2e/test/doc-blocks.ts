import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../src/index.js";

/**
 * The bash blocks of a Markdown file marked `<!-- tested: NAME -->` (the convention of
 * apps/pool/test/security/docs-curl.spec.ts), by name, dedented when they sit in a list.
 */
export function testedBlocks(file: string): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  const blocks = new Map<string, string>();
  for (const m of text.matchAll(/^([ \t]*)<!-- tested: ([\w-]+) -->\n\1```bash\n([\s\S]*?)\n\1```/gm)) {
    const indent = m[1]!;
    blocks.set(m[2]!, m[3]!.split("\n").map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join("\n"));
  }
  return blocks;
}

/** Shell blocks (```bash, ```sh) that no `tested` marker precedes: commands shown but never run. */
export function untestedShellBlocks(file: string): string[] {
  const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n");
  const untested: string[] = [];
  lines.forEach((line, i) => {
    if (!/^\s*```(bash|sh|shell)\s*$/.test(line)) return;
    if (!/<!-- tested: [\w-]+ -->/.test(lines[i - 1] ?? "")) untested.push(`${file}:${i + 1}`);
  });
  return untested;
}

export interface BlockRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` with bash (`set -euo pipefail`) from the repository root with `env` added. */
export function runBlock(script: string, env: Record<string, string>): Promise<BlockRun> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", `set -euo pipefail\n${script}`],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
