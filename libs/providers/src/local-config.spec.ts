import { existsSync } from "node:fs";
import { join } from "node:path";
import { TASK_NAMES, checkConfig, loadConfig } from "@llm-pool/config";
import { REPO_ROOT, TASK_CASES } from "@llm-pool/providers/test-support";
import { describe, expect, it } from "vitest";
import { ProviderSet } from "./provider-set.js";

// configs/local.toml is the newcomer default: one in-process SmolLM2 behind two providers that decode
// differently, every task on its JSON schema, no auth, loopback.
const LOCAL = join(REPO_ROOT, "configs/local.toml");
const MODEL = join(REPO_ROOT, "models/SmolLM2-135M-Instruct.Q4_1.gguf");

describe("R-CFG-1 configs/local.toml", () => {
  it("has its model in models/ (npm run setup runs tools/models/fetch-models.sh)", () => {
    expect(existsSync(MODEL), `${MODEL} is missing: run tools/models/fetch-models.sh`).toBe(true);
  });

  it("passes check-config", async () => {
    const result = await checkConfig(LOCAL, { env: {} });
    expect(result.output).toMatch(/OK, version [0-9a-f]{16} \(2 providers, 2 engines, 6 of 6 tasks enabled, 0 tenants, auth none\)/);
    expect(result.ok).toBe(true);
  });

  it("listens on loopback without auth, and routes every task, on its schema, to the two embedded providers with CPU-sized deadlines", async () => {
    const config = await loadConfig(LOCAL, { env: {} });
    expect(config.server).toMatchObject({ host: "127.0.0.1", port: 7070 });
    expect(config.tenancy).toMatchObject({ auth: "none", allow_unauthenticated: true });
    expect(config.providers.map((p) => [p.name, p.driver, p.engine, p.max_concurrency])).toEqual([
      ["smollm2-a", "embedded", "embedded:smollm2-a", 1],
      ["smollm2-b", "embedded", "embedded:smollm2-b", 1],
    ]);
    expect(config.providers.every((p) => p.driver === "embedded" && p.threads === 1 && p.model_path === MODEL)).toBe(true);
    // Two decoding settings, so VOTING compares two answers rather than one answer twice.
    expect(config.providers.map((p) => (p.driver === "embedded" ? p.repeat_penalty : 0))).toEqual([1.3, 1.5]);
    const providers = new ProviderSet({ env: {} });
    for (const task of TASK_NAMES) {
      const settings = config.tasks[task];
      expect(settings).toMatchObject({
        strategy: task === "expand_queries" ? "VOTING" : "FASTEST",
        deadline_ms: 100000,
        temperature: 0,
        output: "json_schema",
        schema_file: join(REPO_ROOT, `prompts/schemas/${task}.json`),
      });
      expect(settings.deadline_ms).toBeLessThanOrEqual(config.qos.max_deadline_ms);
      expect(providers.forTask(config, settings).map((p) => p.name)).toEqual(["smollm2-a", "smollm2-b"]);
    }
    await providers.close();
  });

  it("R-PRV-7: the real model answers a JSON task through the provider set", async () => {
    const config = await loadConfig(LOCAL, { env: {} });
    const providers = new ProviderSet({ env: {} });
    providers.apply(config);
    const [first] = providers.forTask(config, config.tasks.expand_queries);
    const result = await first!.infer({ ...TASK_CASES.expand_queries.request, maxTokens: 16, temperature: 0 }, new AbortController().signal);
    expect(result.model).toBe("SmolLM2-135M-Instruct");
    expect(result.text.trimStart().startsWith("{")).toBe(true);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(providers.health(config)[0]).toMatchObject({ state: "healthy" });
    await providers.close();
  }, 120_000); // loads the model: seconds when idle, far more on a shared 2-core machine
});
