import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlock, shellBlocks, type BlockRun } from "./doc-blocks.js";
import { FakeInferService } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";

const DOC = "docs/LLMPOOL_API.md";

/** Consecutive JSON documents, as `buf curl` prints the messages of a stream. */
function jsonDocuments(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split(/\n(?=\{)/)
    .map((doc) => JSON.parse(doc) as Record<string, unknown>);
}

/** What each block of the doc must do against a pool with auth off (as `npm start` runs it). */
const checks: Record<string, (run: BlockRun, pool: RunningPool) => void> = {
  "grpc-infer"(run) {
    expect(JSON.parse(run.stdout)).toMatchObject({ answer: { task: "TASK_EXPAND_QUERIES", output: expect.stringContaining("echo:jazz ao vivo") } });
  },
  "grpc-infer-timeout"(run, pool) {
    expect(JSON.parse(run.stdout)).toMatchObject({ answer: { output: expect.stringContaining("echo:jazz ao vivo") } });
    const timeoutMs = pool.service.calls.at(-1)!.ctx.transportTimeoutMs;
    expect(timeoutMs).toBeGreaterThan(0);
    expect(timeoutMs).toBeLessThanOrEqual(1_500);
  },
  "grpc-infer-stream"(run) {
    const messages = jsonDocuments(run.stdout);
    expect(messages.slice(0, -1)).toEqual([{ delta: { provider: "fake-a", text: "ja" } }, { delta: { provider: "fake-a", text: "zz" } }]);
    expect(messages.at(-1)).toMatchObject({ answer: { output: expect.stringContaining("echo:jazz") } });
  },
  "connect-infer"(run) {
    expect(JSON.parse(run.stdout)).toMatchObject({ answer: { requestId: "demo-1", output: expect.stringContaining("echo:jazz ao vivo") } });
  },
  "connect-get-health"(run) {
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "SERVING_STATUS_SERVING" });
  },
  "rest-infer"(run, pool) {
    expect(JSON.parse(run.stdout)).toMatchObject({ requestId: "demo-3", task: "TASK_SITE_TACTICS", strategyRequested: "STRATEGY_JUDGE" });
    expect(pool.service.calls.at(-1)!.query).toMatchObject({ maxTokens: 128, deadlineMs: 1200, meta: { cache: "no-store" } });
  },
  "grpc-health-connect"(run) {
    expect(JSON.parse(run.stdout)).toEqual({ status: "SERVING" });
  },
  "grpc-health-buf"(run) {
    expect(JSON.parse(run.stdout)).toEqual({ status: "SERVING" });
  },
  liveness(run) {
    expect(run.stdout).toContain('{"status":"ok"}');
    expect(run.stdout).toContain("HTTP/1.1 200 OK\r\n");
    expect(run.stdout).toContain('{"ready":true}');
    expect(run.stdout).toContain("llmpool_up 1");
  },
};

describe(`${DOC}: every command is run`, () => {
  const blocks = shellBlocks(DOC);
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool(
      {},
      {
        service: new FakeInferService().streams(["ja", "zz"]),
        metrics: async () => ({ contentType: "text/plain; version=0.0.4", body: "llmpool_up 1\n" }),
      },
    );
  });
  afterAll(() => pool.server.close(500));

  it("every shell block is marked `<!-- tested: NAME -->` and has a check here, and every check a block", () => {
    for (const block of blocks) expect(block.name, `${DOC}:${block.line} has a shell block without a tested marker`).toBeDefined();
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(blocks.filter((b) => b.name !== undefined).map((b) => [b.name!, b] as const))("%s", async (name, block) => {
    // The doc shows the default address; the test pool listens on a free port.
    const run = await runBlock(block.code.replaceAll("127.0.0.1:7070", `127.0.0.1:${pool.port}`));
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    checks[name]!(run, pool);
  });

  it("nothing above was an internal error", () => {
    expect(pool.errors).toEqual([]);
  });
});
