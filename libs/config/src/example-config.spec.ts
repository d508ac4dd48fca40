import { configError, EXAMPLE_ENV, EXAMPLE_PATH, MINIMAL_PATH } from "@llm-pool/config/test-support";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

describe("R-CFG-3: configs/llm-pool.example.toml is the Mac mini setup", () => {
  it("validates", async () => {
    await expect(loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV })).resolves.toBeDefined();
  });

  it("runs phi3:mini, llama3.1:8b and gemma2:9b on one Ollama engine of concurrency 2", async () => {
    const config = await loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    expect(config.providers.map((p) => [p.driver, p.model, p.engine])).toEqual([
      ["ollama", "phi3:mini", "mac-mini"],
      ["ollama", "llama3.1:8b", "mac-mini"],
      ["ollama", "gemma2:9b", "mac-mini"],
    ]);
    expect(config.providers.every((p) => p.driver === "ollama" && p.base_url === "http://127.0.0.1:11434")).toBe(true);
    expect(config.engines).toEqual([
      { name: "mac-mini", max_concurrency: 2, providers: ["ollama-phi3-mini", "ollama-llama31-8b", "ollama-gemma2-9b"] },
    ]);
  });

  it("gives each task its strategy and judges with llama3.1:8b in at most 128 tokens", async () => {
    const config = await loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    const strategies = Object.fromEntries(Object.values(config.tasks).map((t) => [t.name, t.strategy]));
    expect(strategies).toEqual({
      expand_queries: "FASTEST",
      site_tactics: "JUDGE",
      rerank_candidates: "JUDGE",
      judge: "FASTEST",
      recovery_plan: "FASTEST",
      enrich_metadata: "WEIGHTED",
    });
    expect(config.tasks.expand_queries).toMatchObject({
      profile: "FAST-LOW",
      providers: ["ollama-phi3-mini", "ollama-llama31-8b"],
      hedge_after_ms: 300,
    });
    expect(config.tasks.recovery_plan.cache_ttl_ms).toBe(0);
    expect(config.judge).toEqual({ provider: "ollama-llama31-8b", max_tokens: 128, fallback: "VOTING" });
    expect(config.breaker).toMatchObject({ window_size: 50, failure_rate: 0.1, open_ms: 5_000, max_open_ms: 300_000 });
  });

  it("defines the five profiles", async () => {
    const config = await loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    expect(Object.keys(config.profiles)).toEqual(["FAST-LOW", "JUDGE-MID", "QUALITY-HIGH", "COST-SAVER", "ROBUST"]);
    expect(config.profiles["COST-SAVER"]?.weights).toEqual({ "ollama-phi3-mini": 0.6, "ollama-gemma2-9b": 0.4 });
  });

  it("has tenant vvtv with three projects and two keys held in env vars", async () => {
    const config = await loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    expect(config.tenancy.auth).toBe("hmac");
    expect(config.tenancy.tenants.vvtv).toMatchObject({
      projects: ["planner", "curator", "autopilot"],
      keys: [
        { id: "vvtv-a", secret_env: "LLMPOOL_KEY_VVTV_A" },
        { id: "vvtv-b", secret_env: "LLMPOOL_KEY_VVTV_B" },
      ],
    });
    const error = await configError(loadConfig(EXAMPLE_PATH, { env: {} }));
    expect(error.issues.map((i) => i.message)).toEqual([
      "environment variable LLMPOOL_KEY_VVTV_A is not set",
      "environment variable LLMPOOL_KEY_VVTV_B is not set",
    ]);
  });

  it("gives every task its prompt from prompts/ and its output schema from prompts/schemas/", async () => {
    const config = await loadConfig(EXAMPLE_PATH, { env: EXAMPLE_ENV });
    for (const task of Object.values(config.tasks)) {
      expect(task.output, task.name).toBe("json_schema");
      expect(task.prompt, task.name).toMatch(/JSON object and nothing else/);
      expect(task.schema, task.name).toMatchObject({ type: "object" });
    }
  });
});

describe("configs/test-minimal.toml", () => {
  it("validates with no env at all: one provider, no authentication", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    expect(config.providers).toHaveLength(1);
    expect(config.tenancy).toMatchObject({ auth: "none", allow_unauthenticated: true, tenants: {} });
  });
});
