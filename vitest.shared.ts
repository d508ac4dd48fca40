// Shared by every package's vitest.config.ts: resolve workspace packages to
// their TypeScript sources, so tests never need a build first.
import { defineConfig } from "vitest/config";

export const workspaceSource = defineConfig({
  resolve: { conditions: ["@llm-pool/source"] },
  ssr: { resolve: { conditions: ["@llm-pool/source"] } },
  test: {
    include: ["src/**/*.spec.ts", "test/**/*.spec.ts"],
    testTimeout: 30_000,
  },
});
