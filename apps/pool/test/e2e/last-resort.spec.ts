// Whatever a request carries, the process must not end. The root causes are fixed where
// they are (the schema compiler, the validator); this proves the serving process also survives the
// errors Node would end it for, should another one appear.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventually, poolToml, startEngine } from "./pool-harness.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const strayErrors = fileURLToPath(new URL("../fixtures/stray-errors.mjs", import.meta.url));

describe("the llm-pool process outlives errors nothing handled", () => {
  it("an unhandled rejection and an uncaught throw are logged, and the pool keeps serving and still drains on SIGTERM", async () => {
    const engine = await startEngine();
    const dir = mkdtempSync(join(tmpdir(), "llm-pool-stray-"));
    const configPath = join(dir, "llm-pool.toml");
    writeFileSync(configPath, poolToml(engine.url));
    const child = spawn(
      process.execPath,
      ["--conditions=@llm-pool/source", "--import", "tsx", "--import", strayErrors, "apps/pool/src/cli.ts", "serve", "--config", configPath],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    const logs: Record<string, unknown>[] = [];
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === "llm-pool listening") resolve(entry.port as number);
        });
        child.once("exit", () => reject(new Error("the pool exited before listening")));
      });
      child.kill("SIGUSR2");
      await eventually(() => exitCode !== undefined || logs.filter((l) => l.level === "error" && typeof l.kind === "string").length === 2);
      expect(exitCode).toBeUndefined();
      const stray = logs.filter((l) => l.level === "error" && typeof l.kind === "string");
      expect(stray.map((l) => [l.kind, (l.err as { message?: string }).message]).sort()).toEqual([
        ["uncaught_exception", "stray throw from the test fixture"],
        ["unhandled_rejection", "stray rejection from the test fixture"],
      ]);
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const answer = await fetch(`${url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt: "still here", maxTokens: 4 }),
      });
      expect(answer.status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
