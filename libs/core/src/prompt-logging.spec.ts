import { create } from "@bufbuild/protobuf";
import { parseConfig } from "@llm-pool/config";
import { QuerySchema, Task } from "@llm-pool/contract";
import { describe, expect, it } from "vitest";
import type { Ensemble } from "./ensemble.js";
import { FakeClock } from "./fake-clock.js";
import { Orchestrator, type InferRecord } from "./orchestrator.js";
import type { Provider } from "./provider.js";

const provider = { name: "fast", driver: "ollama", model: "m", engine: "e", supports: () => true, infer: () => Promise.reject(new Error("unused")) } as Provider;
const ensemble: Ensemble = {
  run: async (plan) => ({
    strategyApplied: plan.strategy,
    output: "answer",
    winnerId: "c1",
    candidates: [{ id: "c1", provider: "fast", model: "m", latencyMs: 1, status: "ok", score: 1, hedged: false }],
    fallbacks: [],
    agreement: 0,
    hedges: 0,
  }),
};

async function recordsWith(logPrompts: boolean): Promise<InferRecord[]> {
  const config = await parseConfig(
    `[server]\nlog_prompts = ${logPrompts}\n[[providers]]\nname = "fast"\ndriver = "ollama"\nbase_url = "http://127.0.0.1:11434"\nmodel = "m"\n[tasks.expand_queries]\noutput = "text"\n[tenancy]\nauth = "none"\nallow_unauthenticated = true\n`,
    { baseDir: "/tmp", env: {} },
  );
  const records: InferRecord[] = [];
  const orchestrator = new Orchestrator({
    config: () => config,
    providers: { forTask: () => [provider], health: () => [], named: () => undefined },
    ensemble,
    clock: new FakeClock(),
    observer: { onInfer: (r) => void records.push(r) },
  });
  const query = (prompt: string) => create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt });
  await orchestrator.infer(query("a private prompt"), { signal: new AbortController().signal });
  await orchestrator.infer(query(""), { signal: new AbortController().signal }).catch(() => {});
  return records;
}

describe("prompt text in request records (R-OBS-2)", () => {
  it("is left out unless [server] log_prompts = true", async () => {
    const records = await recordsWith(false);
    expect(records.map((r) => r.outcome)).toEqual(["ok", "invalid_argument"]);
    expect(records.every((r) => r.prompt === undefined)).toBe(true);
  });

  it("is carried, for answers and refusals alike, with log_prompts = true", async () => {
    expect((await recordsWith(true)).map((r) => r.prompt)).toEqual(["a private prompt", ""]);
  });
});
