import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root, with a trailing slash (this file is tools/testing/src/doc-blocks.ts). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** One fenced shell block of a doc, with the name of its `<!-- tested: NAME -->` marker if it has one. */
export interface ShellBlock {
  readonly name: string | undefined;
  readonly code: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh"]);

/**
 * Every fenced block of `docPath` (relative to the repository root) written
 * in a shell language. A block is tested when the line right before its
 * fence is `<!-- tested: NAME -->`; the doc specs run each block by name and
 * fail on any block that is not marked, so a command cannot be added to the
 * docs without a test running it.
 */
export function shellBlocks(docPath: string): ShellBlock[] {
  const lines = readFileSync(`${repoRoot}${docPath}`, "utf8").split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`${docPath}:${i + 1}: unclosed code fence`);
    if (SHELL_LANGUAGES.has(open[1]!)) {
      const marker = /^<!-- tested: ([\w-]+) -->$/.exec(lines[i - 1] ?? "");
      blocks.push({ name: marker?.[1], code: lines.slice(i + 1, end).join("\n"), line: i + 1 });
    }
    i = end;
  }
  return blocks;
}

export interface BlockRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The block of `docPath` marked `<!-- tested: name -->`; throws when there is none, so a renamed marker fails its test. */
export function shellBlock(docPath: string, name: string): ShellBlock {
  const block = shellBlocks(docPath).find((b) => b.name === name);
  if (!block) throw new Error(`${docPath} has no shell block marked <!-- tested: ${name} -->`);
  return block;
}

/**
 * Runs a block with bash (`set -euo pipefail`) from the repository root, as a reader would paste
 * it; `env` adds to the environment. Default time limit 60 s.
 */
export function runBlock(code: string, env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<BlockRun> {
  return new Promise((resolve) => {
    const limits = { cwd: repoRoot, env: { ...process.env, ...env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 };
    execFile("bash", ["-c", `set -euo pipefail\n${code}`], limits, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
