import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs")) as IConfiguration;

/** Cruises `dirs` of `baseDir` with the repository's rules; the violations as "rule: from -> to". */
async function violations(baseDir: string, dirs: string[], options: IConfiguration["options"] = config.options): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(baseDir);
  try {
    const result = await cruise(dirs, { ...options, validate: true, ruleSet: { forbidden: config.forbidden } });
    const output = typeof result.output === "string" ? undefined : result.output;
    expect(output?.summary.totalCruised).toBeGreaterThan(0);
    return (output?.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  } finally {
    process.chdir(previous);
  }
}

/** A throw-away tree laid out like the repository: path -> source. */
function plant(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-depcruise-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("dependencies point one way (.dependency-cruiser.cjs, docs/ARCHITECTURE.md)", () => {
  it("no library imports the app, core imports no implementation, no cycles, product code imports no tools or test support", async () => {
    expect(await violations(root, ["apps", "libs", "tools"])).toEqual([]);
  }, 180_000);

  it("refuses product code under src/ that imports a test-support module; specs and test support may", async () => {
    const dir = plant({
      "libs/a/src/product.ts": 'import { fixture } from "../test-support/index";\nexport const used = fixture;\n',
      "libs/a/src/product.spec.ts": 'import { fixture } from "../test-support/index";\nexport const seen = fixture;\n',
      "libs/a/test-support/index.ts": 'export { fixture } from "./fixture";\n',
      "libs/a/test-support/fixture.ts": "export const fixture = 1;\n",
      "apps/b/test/server.spec.ts": 'import { fixture } from "../../../libs/a/test-support/index";\nexport const seen = fixture;\n',
    });
    try {
      const { tsConfig: _repositoryTsConfig, ...options } = config.options ?? {};
      expect(await violations(dir, ["libs", "apps"], options)).toEqual([
        "test-support-not-imported-by-product: libs/a/src/product.ts -> libs/a/test-support/index.ts",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
