import { parseConfig } from "@llm-pool/config";
import { TASK_NAMES } from "@llm-pool/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCatalog } from "../src/doors/model-catalog.js";
import { repoRoot, runBlock, shellBlocks, type BlockRun } from "./doc-blocks.js";
import { FakeInferService } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { sseEvents } from "./sse-events.js";

const DOC = "docs/LLMPOOL_API.md";

/** Where the doc's Ollama door listens (`ollama_listen`); the test's door is on a free port. */
const DOC_OLLAMA_ADDRESS = "127.0.0.1:11435";

/** The models the doors serve in the doc's examples: the tasks, and one profile a task uses. */
const DOORS_CONFIG = `
[[providers]]
name = "local"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "qwen2.5:1.5b"

[profiles.LOCAL_FAST]
strategy = "FASTEST"
providers = ["local"]

[tasks.expand_queries]
providers = ["local"]

[tasks.site_tactics]
profile = "LOCAL_FAST"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

/** The `data:` payloads of OpenAI's server-sent events, `[DONE]` included, comments left out. */
function sseData(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => line.slice("data: ".length));
}

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
  "rest-infer-stream"(run) {
    const events = sseEvents(run.stdout);
    expect(events.map((e) => e.event)).toEqual(["delta", "delta", "answer"]);
    expect(events.slice(0, 2).map((e) => e.data)).toEqual([{ provider: "fake-a", text: "ja" }, { provider: "fake-a", text: "zz" }]);
    expect(events[2]!.data).toMatchObject({ task: "TASK_EXPAND_QUERIES", output: expect.stringContaining("echo:jazz") });
  },
  "openai-models"(run) {
    const list = JSON.parse(run.stdout) as { object: string; data: { id: string }[] };
    expect(list.object).toBe("list");
    // Every enabled task, then the profile (the config enables all six tasks by default).
    expect(list.data.map((m) => m.id)).toEqual([...TASK_NAMES.map((task) => `pool/${task}`), "pool/LOCAL_FAST"]);
    expect(list.data[0]).toEqual({ id: "pool/expand_queries", object: "model", created: 0, owned_by: "llm-pool" });
  },
  "openai-chat"(run, pool) {
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "chatcmpl-demo-4",
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: expect.stringContaining("echo:jazz ao vivo") }, finish_reason: "stop" }],
      usage: { prompt_tokens: expect.any(Number) },
      pool: { requestId: "demo-4", winnerProvider: "fake-a", decision: { candidates: [expect.objectContaining({ provider: "fake-a" })] } },
    });
    expect(pool.service.calls.at(-1)!.query).toMatchObject({ requestId: "demo-4", prompt: "jazz ao vivo", maxTokens: 64 });
  },
  "openai-chat-stream"(run) {
    const data = sseData(run.stdout);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[]; pool?: unknown });
    expect(new Set(chunks.map((c) => c.object))).toEqual(new Set(["chat.completion.chunk"]));
    expect(chunks.map((c) => c.choices[0]!.delta.content ?? "").join("")).toBe("jazz");
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: "stop" }], pool: { winnerProvider: "fake-a" } });
  },
  "ollama-tags"(run) {
    const { models } = JSON.parse(run.stdout) as { models: { name: string; details: { family: string } }[] };
    expect(models.map((m) => m.name)).toEqual([...TASK_NAMES.map((task) => `pool/${task}:latest`), "pool/LOCAL_FAST:latest"]);
    expect(models[0]!.details.family).toBe("pool");
  },
  "ollama-chat"(run) {
    expect(JSON.parse(run.stdout)).toMatchObject({
      model: "pool/expand_queries",
      message: { role: "assistant", content: expect.stringContaining("echo:jazz") },
      done: true,
      done_reason: "stop",
      pool: { winnerProvider: "fake-a" },
    });
  },
  "ollama-generate-stream"(run) {
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { response: string; done: boolean });
    expect(lines.map((l) => l.done)).toEqual([false, false, true]);
    expect(lines.map((l) => l.response).join("")).toBe("jazz");
  },
  "python-clients"(run) {
    const [streamed, chatted] = run.stdout.trim().split("\n");
    expect(streamed).toBe("jazz");
    expect(chatted).toContain("echo:jazz");
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
  let ollamaAddress: string;
  beforeAll(async () => {
    const config = await parseConfig(DOORS_CONFIG, { baseDir: repoRoot, env: {} });
    pool = await startPool(
      {},
      {
        service: new FakeInferService().streams(["ja", "zz"]),
        metrics: async () => ({ contentType: "text/plain; version=0.0.4", body: "llmpool_up 1\n" }),
        doors: { catalog: modelCatalog(() => config), openai: true, ollama: { host: "127.0.0.1", port: 0 } },
      },
    );
    ollamaAddress = `127.0.0.1:${pool.ollamaPort}`;
  });
  afterAll(() => pool.server.close(500));

  it("every shell block is marked `<!-- tested: NAME -->` and has a check here, and every check a block", () => {
    for (const block of blocks) expect(block.name, `${DOC}:${block.line} has a shell block without a tested marker`).toBeDefined();
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(blocks.filter((b) => b.name !== undefined).map((b) => [b.name!, b] as const))("%s", async (name, block) => {
    // The doc shows the default address; the test pool listens on a free port.
    const code = block.code.replaceAll("127.0.0.1:7070", `127.0.0.1:${pool.port}`).replaceAll(DOC_OLLAMA_ADDRESS, ollamaAddress);
    // python3 is the one with the official clients (.venv, from sdk/python/requirements-dev.txt).
    const run = await runBlock(code, { PATH: `${repoRoot}.venv/bin:${process.env["PATH"] ?? ""}` });
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    checks[name]!(run, pool);
  });

  it("nothing above was an internal error", () => {
    expect(pool.errors).toEqual([]);
  });
});
