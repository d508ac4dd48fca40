// docs/OBSERVABILITY.md: every command is run, against a pool that served real traffic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlock, shellBlocks, type BlockRun } from "../doc-blocks.js";
import { sendTraffic, startTrafficPool, type TrafficPool } from "./traffic.js";

const DOC = "docs/OBSERVABILITY.md";

const checks: Record<string, (run: BlockRun) => void> = {
  metrics(run) {
    expect(run.stdout).toMatch(/^llmpool_ready 1$/m);
    expect(run.stdout).toMatch(/^llmpool_cache_hit_ratio 0\.\d+$/m);
    expect(run.stdout).toMatch(/^llmpool_timeouts_total\{tenant="default",project="default",task="recovery_plan",strategy="FASTEST"\} [1-9]/m);
  },
  readyz(run) {
    expect(run.stdout).toContain("HTTP/1.1 200 OK");
    expect(run.stdout).toContain('{"ready":true}');
  },
  status(run) {
    expect(run.stdout).toContain("<title>llm-pool status</title>");
  },
  "check-rules"(run) {
    expect(run.stdout).toContain("SUCCESS: 10 rules found");
  },
};

describe(`${DOC}: every command is run`, () => {
  const blocks = shellBlocks(DOC);
  let traffic: TrafficPool;
  beforeAll(async () => {
    traffic = await startTrafficPool();
    await sendTraffic(traffic.pool.url, 3);
  });
  afterAll(() => traffic?.stop());

  it("every shell block is marked `<!-- tested: NAME -->` and has a check here, and every check a block", () => {
    for (const block of blocks) expect(block.name, `${DOC}:${block.line} has a shell block without a tested marker`).toBeDefined();
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(blocks.filter((b) => b.name !== undefined).map((b) => [b.name!, b] as const))("%s", async (name, block) => {
    // The doc shows the default address; the test pool listens on a free port.
    const run = await runBlock(block.code.replaceAll("127.0.0.1:7070", new URL(traffic.pool.url).host));
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    if (process.env.LLMPOOL_PRINT_DOC_OUTPUT) console.log(`--- ${name}\n${run.stdout}`);
    checks[name]!(run);
  });
});
