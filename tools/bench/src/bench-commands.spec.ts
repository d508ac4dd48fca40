// The commands docs/BENCHMARKS.md shows, run end to end at a tiny size: each prints its tables and writes its JSON
// report. What they measure is never asserted here (timing belongs to `npm run bench`, not to tests).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const reports = mkdtempSync(join(tmpdir(), "llm-pool-bench-reports-"));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

async function bench(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "bench", "--", ...args], {
    cwd: root,
    timeout: 240_000,
    env: { ...process.env, LLMPOOL_BENCH_REPORTS: reports },
  });
  return stdout;
}

function report(mode: string): { mode: string; command: string; machine: { cpus: number }; figures: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(reports, `${mode}.json`), "utf8")) as ReturnType<typeof report>;
}

describe("npm run bench, as docs/BENCHMARKS.md runs it", () => {
  it("overhead --profile: the closed-loop, fixed-rate, memory, target and profile tables, and the JSON report", async () => {
    const out = await bench("overhead", "--duration", "300", "--rounds", "1", "--rates", "50", "--profile", reports);
    for (const heading of ["## Overhead: closed loops", "## Overhead: fixed rates", "## Overhead: memory", "## Overhead: targets"]) expect(out).toContain(heading);
    expect(out).toMatch(/## Overhead: where the pool's CPU went[^]*area \(self time\) +share of busy CPU/);
    // Every target at every load was measured: 2 engine speeds x 2 connection counts x 3 targets.
    expect(out.split("\n").filter((line) => /^(instant|50ms) +(1|50) +(mock|forwarder|pool) /.test(line))).toHaveLength(12);
    expect(report("overhead")).toMatchObject({ mode: "overhead", command: `npm run bench -- overhead --duration 300 --rounds 1 --rates 50 --profile ${reports}` });
    expect(report("overhead").figures.targets).toHaveLength(5);
  }, 240_000);

  it("cache: the hit ratio and the hit and miss latencies of the replayed workload", async () => {
    const out = await bench("cache", "--time-scale", "0.005");
    expect(out).toContain("## Cache: zipf-s1.1-200p-1000r replayed through the pool");
    // Whatever the machine's load did to them, every query is counted once: a hit, a miss or a failure.
    const figures = report("cache").figures as { queries: number; hits: number; failed: number; missLatency: unknown };
    expect(figures.queries).toBe(1000);
    expect(figures.hits + figures.failed).toBeLessThanOrEqual(1000);
  }, 240_000);

  it("faults: a row per task and tenant", async () => {
    const out = await bench("faults", "--requests", "40");
    expect(out.split("\n").filter((line) => /^(expand_queries|site_tactics) +(vvtv|lab) +10 /.test(line))).toHaveLength(4);
    expect(report("faults").figures).toHaveProperty("breakerOpens");
  }, 240_000);

  it("sim: the hedging tables of the shipped FASTEST in every simulated scenario", async () => {
    const out = await bench("sim", "--requests", "40");
    for (const tokens of [4, 8, 12, 16, 24, 32]) expect(out).toContain(`## sim: mac-mini, ${tokens}-token answers`);
    for (const scenario of ["slow-provider", "contention", "failing-provider"]) expect(out).toContain(`## sim: ${scenario}`);
    expect(out).toMatch(/^fixed 350 ms +\d+ +\d+ +\d+ /m);
  }, 240_000);

  it("refusal: real and CPU time per refusal by admission (R-QOS-5)", async () => {
    const out = await bench("refusal", "--requests", "40");
    expect(out).toMatch(/^real ms +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+$/m);
    expect(out).toMatch(/^CPU ms +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+$/m);
    expect(report("refusal").figures).toMatchObject({ refusals: 40 });
  }, 240_000);

  it("memory: RSS and heap early and late, and where RSS went (V8's committed heap, memory outside it)", async () => {
    const out = await bench("memory", "--requests", "400", "--rate", "100");
    for (const row of ["RSS", "heap used", "heap committed", "external"]) expect(out).toMatch(new RegExp(`^${row} +\\d+ MB +\\d+ MB +\\d\\.\\d{3}`, "m"));
    expect(report("memory").figures).toMatchObject({ requests: 400, rate: 100 });
  }, 240_000);
});
