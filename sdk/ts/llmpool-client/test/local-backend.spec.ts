import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createLlmPoolClient, LlmPoolError, Task } from "../src/index.js";
import bundle from "../src/prompts.json" with { type: "json" };

const pool = inject("pool");
const PROMPTS = join(import.meta.dirname, "../../../../prompts");
const local = (engine: "ollama" | "openai" = "ollama", model = "fast:1b") =>
  createLlmPoolClient({ backend: "local", local: { engineUrl: pool.engine_url, engine, model } });

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as LlmPoolError);

describe("backend 'local' calls one engine with the pool's prompts (R-SDK-5), here the mock engine over HTTP", () => {
  it("the bundled prompts are the pool's prompt files (else run: node sdk/sync-prompts.mjs)", () => {
    const tasks = readdirSync(PROMPTS).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
    expect(Object.keys(bundle.tasks).sort()).toEqual(tasks);
    for (const task of tasks) {
      const entry = bundle.tasks[task as keyof typeof bundle.tasks];
      expect(entry.system).toBe(readFileSync(join(PROMPTS, `${task}.md`), "utf8"));
      expect(entry.schema).toEqual(JSON.parse(readFileSync(join(PROMPTS, "schemas", `${task}.json`), "utf8")));
    }
  });

  it.each(["ollama", "openai"] as const)("answers in the task's schema through the %s API", async (engine) => {
    const answer = await local(engine).infer({ task: Task.RECOVERY_PLAN, prompt: "encoder crashed twice", input: { error: "ffmpeg exit 137" } });
    expect(["low", "medium", "high"]).toContain(JSON.parse(answer.output).severity);
    expect([answer.winnerProvider, answer.winnerModel]).toEqual(["local", "fast:1b"]);
    expect(answer.usage?.completionTokens).toBeGreaterThan(0);
  });

  it("renders exactly what the pool renders: the engine gives the same answer either way", async () => {
    const query = { task: Task.EXPAND_QUERIES, prompt: "  cinematic lounge ", input: { seeds: ["jazz", "rain"], limit: 3, night: true } };
    const viaPool = await createLlmPoolClient({ baseUrl: pool.pool_url, hmac: { keyId: pool.keys.vvtv.key_id, secret: pool.keys.vvtv.secret } }).infer(query);
    const viaLocal = await local().infer(query);
    const other = await local().infer({ ...query, prompt: "cinematic lounge!" });
    expect(JSON.parse(viaLocal.output)).toEqual(JSON.parse(viaPool.output));
    expect(JSON.parse(other.output)).not.toEqual(JSON.parse(viaPool.output));
  });

  it("an unknown model is an error naming the engine; an unreachable engine is a connection error", async () => {
    const unknown = await failure(local("ollama", "nope:1b").infer({ task: Task.JUDGE, prompt: "x" }));
    expect([unknown.code, unknown.message]).toEqual(["invalid_argument", expect.stringContaining("ollama engine")]);
    const away = createLlmPoolClient({ backend: "local", local: { engineUrl: "http://127.0.0.1:9", model: "m" } });
    expect((await failure(away.infer({ task: Task.JUDGE, prompt: "x" }))).code).toBe("connection");
  });
});
