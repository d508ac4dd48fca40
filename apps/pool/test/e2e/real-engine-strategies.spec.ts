// R-ENS-1..4 once each against a real engine: two in-process llama.cpp
// providers on SmolLM2-135M-Instruct (put in models/ by tools/models/fetch-models.sh,
// which `npm run setup` and CI run). The model is tiny, so these tests prove
// the strategies run end to end on real generations, not answer quality.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPool, type PoolUnderTest } from "./pool-harness.js";

const model = fileURLToPath(new URL("../../../../models/SmolLM2-135M-Instruct.Q4_1.gguf", import.meta.url));

const toml = `
[server]
listen = "127.0.0.1:0"
request_timeout_ms = 60000

[qos]
max_deadline_ms = 60000
default_deadline_ms = 45000
max_tokens_cap = 128
default_max_tokens = 12
hedge_after_ms = 20000

[judge]
provider = "judge"
max_tokens = 48

[[providers]]
name = "a"
driver = "embedded"
model = "SmolLM2-135M-Instruct"
model_path = "${model}"
context_size = 1024
repeat_penalty = 1.3

[[providers]]
name = "b"
driver = "embedded"
model = "SmolLM2-135M-Instruct"
model_path = "${model}"
context_size = 1024
repeat_penalty = 1.3

[[providers]]
name = "judge"
driver = "embedded"
model = "SmolLM2-135M-Instruct"
model_path = "${model}"
context_size = 2048
tasks = ["judge"]

[tasks.enrich_metadata]
providers = ["a", "b"]
output = "text"
temperature = 0.0
seed = 7

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

let pool: PoolUnderTest;
beforeAll(async () => {
  if (!existsSync(model)) throw new Error(`${model} is missing: run tools/models/fetch-models.sh (npm run setup does)`);
  pool = await startTestPool(toml);
}, 120_000);
afterAll(() => pool?.stop());

async function infer(strategy: string): Promise<Record<string, any>> {
  const res = await fetch(`${pool.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ task: "TASK_ENRICH_METADATA", strategy, prompt: "A title for a calm night city video." }),
  });
  const body = (await res.json()) as Record<string, any>;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe("each strategy against a real engine (SmolLM2 in llama.cpp)", () => {
  it("FASTEST answers from the first provider", async () => {
    const answer = await infer("STRATEGY_FASTEST");
    expect(answer.strategyApplied).toBe("STRATEGY_FASTEST");
    expect(answer.winnerProvider).toBe("a");
    expect(answer.output.length).toBeGreaterThan(0);
    expect(answer.usage.completionTokens).toBeGreaterThan(0);
  }, 120_000);

  it("VOTING clusters two identical greedy answers and reports full agreement", async () => {
    // Same model, same seed, temperature 0: the two candidates agree.
    const answer = await infer("STRATEGY_VOTING");
    expect(answer.strategyApplied).toBe("STRATEGY_VOTING");
    expect(answer.decision.candidates.map((c: any) => c.status)).toEqual(["CANDIDATE_STATUS_OK", "CANDIDATE_STATUS_OK"]);
    expect(answer.decision.agreement).toBe(1);
  }, 120_000);

  it("CONSENSUS reaches its threshold on the same two answers", async () => {
    const answer = await infer("STRATEGY_CONSENSUS");
    expect(answer.strategyApplied).toBe("STRATEGY_CONSENSUS");
    expect(answer.decision.agreement).toBe(1);
  }, 120_000);

  it("WEIGHTED picks a valid candidate by weight and win-rate", async () => {
    const answer = await infer("STRATEGY_WEIGHTED");
    expect(answer.strategyApplied).toBe("STRATEGY_WEIGHTED");
    expect(["a", "b"]).toContain(answer.winnerProvider);
  }, 120_000);

  it("JUDGE asks the judge model, and either uses its verdict or records why it fell back", async () => {
    const answer = await infer("STRATEGY_JUDGE");
    expect(answer.strategyRequested).toBe("STRATEGY_JUDGE");
    expect(answer.decision.judge.provider).toBe("judge");
    expect(answer.totalUsage.completionTokens).toBeGreaterThan(answer.usage.completionTokens);
    if (answer.strategyApplied === "STRATEGY_JUDGE") {
      expect(answer.decision.fallbacks ?? []).toEqual([]);
    } else {
      expect(answer.decision.fallbacks[0]).toMatchObject({ from: "STRATEGY_JUDGE" });
      expect(answer.decision.fallbacks[0].reason).toMatch(/^FALLBACK_REASON_/);
    }
  }, 120_000);
});
