import { join } from "node:path";
import { createRequire } from "node:module";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs")) as IConfiguration;

describe("dependencies point one way (.dependency-cruiser.cjs, docs/ARCHITECTURE.md)", () => {
  it("no library imports the app, core imports no implementation, no cycles, product code imports no tools", async () => {
    const previous = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(["apps", "libs", "tools"], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
      const output = typeof result.output === "string" ? undefined : result.output;
      const violations = (output?.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(output?.summary.totalCruised).toBeGreaterThan(100);
      expect(violations).toEqual([]);
    } finally {
      process.chdir(previous);
    }
  }, 180_000);
});
