// Every command of docs/EXPOSURE.md, run in order against two pools: certificates, the gateway set up
// and started by hand as the page says, a signed request through it, the pool refusing a direct client.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certsIn, freePort, KEY_ID, REPO_ROOT, startPools, type PoolSet } from "../src/index.js";
import { runBlock, testedBlocks, untestedShellBlocks } from "./doc-blocks.js";

const DOC = "docs/EXPOSURE.md";

/** Whether `pid` is a live process (a daemon nobody reaps stays a zombie after it exits). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
const blocks = testedBlocks(DOC);
const block = (name: string) => {
  const text = blocks.get(name);
  if (!text) throw new Error(`${DOC} has no tested block ${name}`);
  return text;
};

describe("docs/EXPOSURE.md, command by command (R-DEP-2)", () => {
  let dir: string;
  let set: PoolSet;
  let env: Record<string, string>;
  const pidFile = () => join(dir, "gateway/logs/nginx.pid");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "llm-pool-exposure-"));
    const made = await runBlock(block("make-certs"), { CERTS: join(dir, "certs") });
    expect(made).toMatchObject({ code: 0, stdout: `${join(dir, "certs")}: edge-ca, mesh-ca, gateway, gateway-client, pool (.crt and .key)\n` });
    set = await startPools({ replicas: 2, certs: certsIn(join(dir, "certs")) });
    // The gateway's workers run unprivileged (this runs as root): the prefix must be readable.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "gateway"), { mode: 0o755 });
    const port = await freePort();
    env = {
      CERTS: join(dir, "certs"),
      PREFIX: join(dir, "gateway"),
      POOLS: set.pools.map((p) => p.address).join(" "),
      POOL: set.pools[0]!.address,
      GATEWAY_PORT: String(port),
      GATEWAY_URL: `https://127.0.0.1:${port}`,
      LLMPOOL_KEY_ID: KEY_ID,
      LLMPOOL_SECRET: set.key.secret,
    };
  });
  afterAll(async () => {
    // The page starts nginx as a daemon: stop it by the PID it wrote, if a test left it running.
    if (existsSync(pidFile())) process.kill(Number(readFileSync(pidFile(), "utf8")), "SIGQUIT");
    await set?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("R-DEP-2: every shell block on the page is a tested one", () => {
    expect(untestedShellBlocks(DOC)).toEqual([]);
    expect([...blocks.keys()].sort()).toEqual(["direct-refused", "gateway-reload-stop", "gateway-start", "make-certs", "sign-through-gateway"]);
  });

  it("R-DEP-2: the gateway set up and started as the page says accepts TLS connections", async () => {
    const started = await runBlock(block("gateway-start"), env);
    expect(started).toMatchObject({ code: 0, stderr: "" });
    expect(Number(readFileSync(pidFile(), "utf8"))).toBeGreaterThan(0);
  });

  it("R-DEP-2: the pool refuses a client without the gateway's certificate and answers one with it", async () => {
    const run = await runBlock(block("direct-refused"), env);
    expect(run.code).toBe(0);
    // curl's own error line depends on when the pool ends the handshake (an alert, or a reset).
    expect(run.stderr).toMatch(/^curl: \((35|55|56)\) /);
    const shown = /<!-- tested: direct-refused -->[\s\S]*?```\n\n```\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, DOC), "utf8"));
    expect(`${run.stdout}\n`).toBe(shown?.[1]);
  });

  it("R-DEP-2: the signed curl through the gateway is answered, and the same line again is a replay", async () => {
    const script = block("sign-through-gateway");
    const curl = script.slice(script.indexOf("curl "));
    const run = await runBlock(`${script}\necho\n${curl}`, env);
    expect(run.code).toBe(0);
    const [answer, replay] = run.stdout.trim().split("\n");
    expect(JSON.parse(answer!)).toMatchObject({ winnerProvider: "fast", output: expect.any(String) });
    expect(JSON.parse(replay!)).toMatchObject({ code: "unauthenticated" });
    const log = readFileSync(join(dir, "gateway/logs/access.log"), "utf8");
    expect(log).toContain("traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  });

  it("R-DEP-2: reload and quit stop the gateway", async () => {
    const pid = Number(readFileSync(pidFile(), "utf8"));
    const run = await runBlock(block("gateway-reload-stop"), env);
    expect(run.code).toBe(0);
    const end = Date.now() + 10_000;
    while (running(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(running(pid)).toBe(false);
    expect(existsSync(pidFile())).toBe(false);
  });
});
