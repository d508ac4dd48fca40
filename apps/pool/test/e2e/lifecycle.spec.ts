// R-CFG-2 (hot reload on the running pool) and R-API-5 (SIGTERM drains, exit 0).
import { spawn } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, poolToml, startEngine, startTestPool, type MockEngine, type PoolUnderTest } from "./pool-harness.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

async function infer(url: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

describe("hot reload on the running pool (R-CFG-2)", () => {
  let engine: MockEngine;
  let pool: PoolUnderTest;
  beforeAll(async () => {
    engine = await startEngine(600);
    pool = await startTestPool(poolToml(engine.url));
  });
  afterAll(async () => {
    await pool?.stop();
    await engine?.close();
  });

  it("applies a valid edit without a restart and without failing a request in flight", async () => {
    const before = pool.pool.config().version;
    const inFlight = infer(pool.url, { task: "TASK_RECOVERY_PLAN", prompt: "buffer low", maxTokens: 200 });
    await engine.waitForRecord((entries) => entries.some((e) => e.model === "slow:1b" && e.fate === "pending"));
    // Lower the cap below what the in-flight request asked for.
    writeFileSync(pool.configPath, poolToml(engine.url).replace("max_tokens_cap = 256", "max_tokens_cap = 150"));
    await eventually(() => pool.pool.config().version !== before);
    const done = await inFlight;
    expect(done.status).toBe(200);
    const refused = await infer(pool.url, { task: "TASK_EXPAND_QUERIES", prompt: "x", maxTokens: 200 });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("max_tokens: 200 is above the cap of 150");
    expect(await metrics(pool.url)).toContain('llmpool_config_reload_total{result="success"} 1');
  });

  it("refuses an invalid edit with a clear log, and the old config keeps serving", async () => {
    const before = pool.pool.config().version;
    writeFileSync(pool.configPath, poolToml(engine.url).replace("max_tokens_cap = 256", "max_tokens_cap = -5"));
    await eventually(async () => (await metrics(pool.url)).includes('llmpool_config_reload_total{result="failure"} 1'));
    expect(await metrics(pool.url)).toMatch(/^llmpool_config_last_reload_success 0$/m);
    expect(pool.pool.config().version).toBe(before);
    const line = pool.logs().find((l) => l.level === "error" && JSON.stringify(l).includes("qos.max_tokens_cap"));
    expect(JSON.stringify(line)).toMatch(/llm-pool\.toml:\d+:\d+ qos\.max_tokens_cap/);
    const still = await infer(pool.url, { task: "TASK_EXPAND_QUERIES", prompt: "x", maxTokens: 160 });
    expect(still.body.message).toBe("max_tokens: 160 is above the cap of 150");
  });

  it("picks up an editor-style atomic rename", async () => {
    const before = pool.pool.config().version;
    const temp = `${pool.configPath}.swp`;
    writeFileSync(temp, poolToml(engine.url).replace("max_tokens_cap = 256", "max_tokens_cap = 220"));
    renameSync(temp, pool.configPath);
    await eventually(() => pool.pool.config().version !== before);
    expect(pool.pool.config().qos.max_tokens_cap).toBe(220);
    expect(await metrics(pool.url)).toMatch(/^llmpool_config_last_reload_success 1$/m);
  });

  it("R-CFG-2: keeps a change to a [server] limit and a cache size for the next restart, and logs exactly which fields wait for it", async () => {
    const before = pool.pool.config().version;
    const edited = poolToml(engine.url)
      .replace("shutdown_grace_ms = 5000", "shutdown_grace_ms = 4000\nmax_in_flight = 7")
      .replace("[tenancy]", "[cache]\nmax_entries = 50\n\n[tenancy]");
    writeFileSync(pool.configPath, edited);
    await eventually(() => pool.pool.config().version !== before);
    expect(pool.pool.config().server.max_in_flight).toBe(7);
    const waiting = pool.logs().filter((l) => l.level === "warn" && Array.isArray(l.fields));
    expect(waiting.at(-1)).toMatchObject({
      fields: ["server.max_in_flight", "cache.max_entries"],
      msg: "config reloaded, but these fields apply after a restart: server.max_in_flight, cache.max_entries",
    });
  });
});

describe("graceful shutdown of the llm-pool process (R-API-5)", () => {
  it("on SIGTERM drains the request in flight, refuses new connections, writes its last log lines, then exits 0", async () => {
    const engine = await startEngine(1500);
    const dir = mkdtempSync(join(tmpdir(), "llm-pool-sigterm-"));
    const configPath = join(dir, "llm-pool.toml");
    writeFileSync(configPath, poolToml(engine.url));
    const child = spawn(
      process.execPath,
      ["--conditions=@llm-pool/source", "--import", "tsx", "apps/pool/src/cli.ts", "serve", "--config", configPath],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    const logged: { msg?: string; port?: number; request_id?: string; outcome?: string }[] = [];
    const stdoutEnded = new Promise<void>((resolve) => child.stdout!.once("end", resolve));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on("line", (line) => {
          const entry = JSON.parse(line) as (typeof logged)[number];
          logged.push(entry);
          if (entry.msg === "llm-pool listening" && entry.port) resolve(entry.port);
        });
        child.once("exit", () => reject(new Error("the pool exited before listening")));
      });
      const url = `http://127.0.0.1:${port}`;
      const inFlight = infer(url, { task: "TASK_RECOVERY_PLAN", prompt: "buffer low", maxTokens: 8 });
      await engine.waitForRecord((entries) => entries.some((e) => e.model === "slow:1b" && e.fate === "pending"));
      child.kill("SIGTERM");
      const done = await inFlight;
      expect(done.status).toBe(200);
      expect(done.body.winnerProvider).toBe("slow");
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      // Lines are written in batches: the drained request's line and the last one are out before the exit.
      await stdoutEnded;
      expect(logged.filter((e) => e.msg === "infer").map((e) => [e.request_id, e.outcome])).toEqual([[done.body.requestId, "ok"]]);
      expect(logged.at(-1)?.msg).toBe("stopped");
    } finally {
      child.kill("SIGKILL");
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("llm-pool check-config (R-CFG-3)", () => {
  function checkConfig(file: string): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        ["--conditions=@llm-pool/source", "--import", "tsx", "apps/pool/src/cli.ts", "check-config", file],
        { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
      );
      let stdout = "";
      child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.once("exit", (code) => resolve({ code, stdout }));
    });
  }

  it("prints each problem with its file, line, column and field on stdout and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llm-pool-check-"));
    try {
      const file = join(dir, "bad.toml");
      writeFileSync(file, '[qos]\nmax_deadline_ms = "soon"\n\n[[providers]]\nname = "x"\ndriver = "ollama"\nmodel = "m"\nbase_url = "http://127.0.0.1:1"\n');
      const result = await checkConfig(file);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/bad\.toml:2:\d+ qos\.max_deadline_ms: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts the shipped configs and exits 0", async () => {
    const result = await checkConfig("configs/local.toml");
    expect(result.stdout).toMatch(/configs\/local\.toml: OK, version [0-9a-f]{16}/);
    expect(result.code).toBe(0);
  });
});
