import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, ["--conditions=@llm-pool/source", "--import", "tsx", "src/cli.ts", ...args], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  return { child, exited, firstLine, stderr: () => stderr };
}

describe("cli", () => {
  it("prints the URL, serves the scenario, and exits 0 on SIGTERM", async () => {
    const cli = runCli(["--scenario", "scenarios/mac-mini.json", "--port", "0"]);
    const url = await cli.firstLine;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const tags = (await (await fetch(`${url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((m) => m.name)).toEqual(["phi3:mini", "llama3.1:8b", "gemma2:9b"]);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it("exits 1 naming the bad field of an invalid scenario file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mock-engine-cli-"));
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ models: { m: { latency: { kind: "fast" } } } }));
    const cli = runCli(["--scenario", file, "--port", "0"]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/scenario\.models\.m\.latency\.kind: must be one of/);
  });

  it("exits 2 with usage when --scenario is missing", async () => {
    const cli = runCli([]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/^usage:/);
  });
});
