import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const REQUIREMENTS = "docs/REQUIREMENTS.md";

/** Tracked text files of the repository, without generated code and lockfiles. */
function trackedSources(): string[] {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0");
  return files.filter(
    (f) => /\.(ts|mjs|js|py|rs|md|toml|sh|proto)$/.test(f) && !f.includes("/gen/") && !f.startsWith("libs/contract/src/"),
  );
}

function defined(): Set<string> {
  const text = readFileSync(join(root, REQUIREMENTS), "utf8");
  return new Set([...text.matchAll(/^\| (R-[A-Z]+-\d+) \|/gm)].map((m) => m[1]!));
}

describe("requirement ids resolve inside the repository", () => {
  it("every R-… id cited anywhere is defined in docs/REQUIREMENTS.md", () => {
    const ids = defined();
    const unresolved: string[] = [];
    for (const file of trackedSources()) {
      if (file === REQUIREMENTS) continue;
      const text = readFileSync(join(root, file), "utf8");
      for (const m of text.matchAll(/\bR-[A-Z]+-\d+\b/g)) if (!ids.has(m[0])) unresolved.push(`${file}: ${m[0]}`);
    }
    expect(ids.size).toBeGreaterThan(30);
    expect(unresolved).toEqual([]);
  });

  it("code comments cite requirement ids, not issue numbers nobody can look up from the repository", () => {
    const cited: string[] = [];
    for (const file of trackedSources()) {
      if (file.endsWith(".md")) continue;
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (/\b[Ii]ssue #?\d+/.test(line)) cited.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(cited).toEqual([]);
  });
});
