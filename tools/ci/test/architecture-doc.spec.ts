import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { IConfiguration } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const PAGE = "docs/ARCHITECTURE.md";
const page = readFileSync(join(root, PAGE), "utf8");

/** Every `code span` of the page that names a repository path: it starts with a top-level entry of the repository. */
function namedPaths(): string[] {
  const topLevel = new Set(readdirSync(root).filter((entry) => entry !== "node_modules"));
  const spans = [...page.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((span) => topLevel.has(span.split("/")[0]!) && (span.includes("/") || span.includes("."))))];
}

/** The part of a path that must exist: up to a placeholder such as `<kind>` or a glob such as `*`. */
function concretePart(path: string): string {
  const segments = path.split("/");
  const placeholder = segments.findIndex((s) => s.includes("<") || s.includes("*"));
  return placeholder === -1 ? path : segments.slice(0, placeholder).join("/");
}

/** The rows of the page's package table: package name -> its dependencies inside the repository. */
function documentedDependencies(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of page.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = /^`(@llm-pool\/[\w-]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name || cells.length < 6) continue;
    rows.set(name, [...cells[4]!.matchAll(/`(@llm-pool\/[\w-]+)`/g)].map((m) => m[1]!).sort());
  }
  return rows;
}

/** What each library's and app's package.json declares: package name -> its @llm-pool dependencies. */
function declaredDependencies(): Map<string, string[]> {
  const declared = new Map<string, string[]>();
  for (const group of ["libs", "apps"]) {
    for (const dir of readdirSync(join(root, group))) {
      const file = join(root, group, dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name: string; dependencies?: Record<string, string> };
      declared.set(pkg.name, Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@llm-pool/")).sort());
    }
  }
  return declared;
}

describe("docs/ARCHITECTURE.md cannot rot", () => {
  it("every repository path the page names exists", () => {
    const paths = namedPaths();
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter((p) => !existsSync(join(root, concretePart(p))))).toEqual([]);
  });

  it("its package table lists every library and app with the dependencies its package.json declares", () => {
    expect(Object.fromEntries(documentedDependencies())).toEqual(Object.fromEntries(declaredDependencies()));
  });

  it("names every rule of .dependency-cruiser.cjs", () => {
    const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs")) as IConfiguration;
    const rules = (config.forbidden ?? []).map((rule) => rule.name);
    expect(rules.length).toBeGreaterThan(3);
    expect(rules.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });

  it("is linked from the README", () => {
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(PAGE);
  });
});
