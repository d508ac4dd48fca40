import { planFor } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@llm-pool/config";
import { Deadline, ensembleSettingsFrom, FakeClock } from "@llm-pool/core";
import { DEFAULT_ENSEMBLE_SETTINGS, settingsOf } from "./settings.js";

const CONFIG = `
[qos]
judge_share = 0.25

[ensemble]
similarity_threshold = 0.75
consensus_threshold = 0.6

[judge]
provider = "big"
max_tokens = 96
fallback = "WEIGHTED"

[[providers]]
name = "small"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"
weight = 0.6

[[providers]]
name = "big"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "llama3.1:8b"

[tasks.site_tactics]
strategy = "JUDGE"
providers = ["small", "big"]
weights = { big = 1.5 }

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

describe("ensemble settings", () => {
  it("come from the request's config snapshot and tenant", async () => {
    const config = await parseConfig(CONFIG, { baseDir: "/tmp" });
    expect(ensembleSettingsFrom(config, config.tasks.site_tactics, { maxParallel: 2 })).toEqual({
      similarityThreshold: 0.75,
      consensusThreshold: 0.6,
      judgeShare: 0.25,
      judgeProvider: "big",
      judgeMaxTokens: 96,
      judgeFallback: "WEIGHTED",
      maxParallel: 2,
      weights: { small: 0.6, big: 1.5 },
      hedgeMode: "fixed",
      hedgePercentile: 0.9,
    });
    expect(ensembleSettingsFrom(config, config.tasks.site_tactics).maxParallel).toBe(2);
  });

  it("default to what a config that leaves out [qos], [ensemble] and [judge] gets, with a tenant's max_parallel_providers", async () => {
    const bare = CONFIG.replace(/\[qos\][^[]*\[ensemble\][^[]*\[judge\][^[]*/, "").replace("weights = { big = 1.5 }", "").replace('"JUDGE"', '"VOTING"');
    const config = await parseConfig(bare, { baseDir: "/tmp" });
    const task = { ...config.tasks.site_tactics, weights: {} };
    expect(DEFAULT_ENSEMBLE_SETTINGS).toEqual(ensembleSettingsFrom(config, task, { maxParallel: 3 }));
    expect(DEFAULT_ENSEMBLE_SETTINGS).toMatchObject({ similarityThreshold: 0.8, consensusThreshold: 0.66, judgeShare: 0.3, maxParallel: 3 });
  });

  it("ride on the plan, over the ensemble's base settings, field by field", () => {
    const clock = new FakeClock();
    const plan = planFor(clock, "VOTING", [], { settings: { consensusThreshold: 0.9 } });
    const settings = settingsOf(plan);
    expect(settings).toEqual({ ...DEFAULT_ENSEMBLE_SETTINGS, consensusThreshold: 0.9, maxParallel: 8 });
    const bare = { ...plan, ensemble: undefined, deadline: new Deadline(clock, clock.now() + 10) };
    expect(settingsOf(bare, { ...DEFAULT_ENSEMBLE_SETTINGS, maxParallel: 1 }).maxParallel).toBe(1);
  });
});
