// Shared by every package's vitest.config.ts: resolve workspace packages to
// their TypeScript sources (so tests never need a build first), and write a
// JSON report per package that tools/ci/test-all.mjs sums into one line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

const packageName = (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { name: string }).name;
const reportFile = join(import.meta.dirname, "reports/vitest", `${packageName.replace(/[@/]/g, "_")}.json`);

export const workspaceSource = defineConfig({
  resolve: { conditions: ["@llm-pool/source"] },
  ssr: { resolve: { conditions: ["@llm-pool/source"] } },
  test: {
    include: ["src/**/*.spec.ts", "test/**/*.spec.ts"],
    testTimeout: 30_000,
    reporters: ["default", "json"],
    outputFile: { json: reportFile },
  },
});
