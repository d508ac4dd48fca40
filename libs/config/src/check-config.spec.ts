import { EXAMPLE_ENV, EXAMPLE_PATH, lineOf, MINIMAL, removeTempDirs, tempDir, writeFile } from "@llm-pool/config/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { checkConfig } from "./check-config.js";

afterEach(removeTempDirs);

describe("R-CFG-3: check-config", () => {
  it("prints a one-line summary for a valid file", async () => {
    const result = await checkConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/llm-pool\.example\.toml: OK, version [0-9a-f]{16} \(3 providers, 1 engine, 6 of 6 tasks enabled, 1 tenant, auth hmac\)$/);
  });

  it("prints one line per problem, then a count", async () => {
    const text = MINIMAL.replace('model = "phi3:mini"', 'model = ""\nmax_concurrency = 0');
    const path = writeFile(tempDir(), "llm-pool.toml", text);
    const result = await checkConfig(path, { env: {} });
    expect(result.ok).toBe(false);
    expect(result.output.split("\n")).toEqual([
      `${path}:${lineOf(text, "model =")}:1 providers[0].model: must not be empty`,
      `${path}:${lineOf(text, "max_concurrency")}:1 providers[0].max_concurrency: must be at least 1`,
      `${path}: 2 problems`,
    ]);
  });

  it("reports a missing file", async () => {
    const result = await checkConfig("/nonexistent/llm-pool.toml");
    expect(result).toEqual({ ok: false, output: "/nonexistent/llm-pool.toml file does not exist\n/nonexistent/llm-pool.toml: 1 problem" });
  });
});
