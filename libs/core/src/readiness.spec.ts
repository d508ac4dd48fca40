import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { describe, expect, it } from "vitest";
import type { Ensemble } from "./ensemble.js";
import { FakeClock } from "./fake-clock.js";
import { Orchestrator } from "./orchestrator.js";
import type { ProviderHealthRecord, ProviderPool, ProviderStateName } from "./provider-pool.js";

/** Two tasks on their own providers, and a judge provider no task routes to. */
const TOML = `
[[providers]]
name = "a"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "a:1b"

[[providers]]
name = "b"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "b:1b"

[[providers]]
name = "judge-only"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "j:1b"

[tasks.expand_queries]
providers = ["a"]

[tasks.recovery_plan]
providers = ["b"]

[tasks.site_tactics]
enabled = false

[tasks.rerank_candidates]
enabled = false

[tasks.judge]
enabled = false

[tasks.enrich_metadata]
enabled = false

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

const neverCalled: Ensemble = { run: () => Promise.reject(new Error("not called")) };

function orchestrator(config: ConfigSnapshot, states: Record<string, ProviderStateName>, dependencies: (() => string | undefined)[] = []) {
  const health = (): ProviderHealthRecord[] =>
    Object.entries(states).map(([name, state]) => ({ name, driver: "ollama", model: "m", state, lastError: "", updatedAt: 0 }));
  const providers: ProviderPool = { forTask: () => [], health, named: () => undefined };
  return new Orchestrator({ config: () => config, providers, ensemble: neverCalled, clock: new FakeClock(), dependencies });
}

describe("readiness tells the truth", () => {
  it("is ready while one enabled task still has a provider that is not unhealthy", async () => {
    const config = await parseConfig(TOML, { baseDir: "/tmp", env: {} });
    expect(orchestrator(config, { a: "unhealthy", b: "degraded", "judge-only": "unhealthy" }).readiness()).toEqual({ ready: true, reasons: [] });
  });

  it("is not ready when every provider of every enabled task is unhealthy, even with another provider healthy", async () => {
    const config = await parseConfig(TOML, { baseDir: "/tmp", env: {} });
    const readiness = orchestrator(config, { a: "unhealthy", b: "unhealthy", "judge-only": "healthy" }).readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons).toEqual(["no task can be answered: every provider of every enabled task is unhealthy (a, b)"]);
  });

  it("is not ready while a dependency the config needs says it is down, with its reason", async () => {
    const config = await parseConfig(TOML, { baseDir: "/tmp", env: {} });
    let redis: string | undefined = "the security store (Redis) does not answer";
    const pool = orchestrator(config, { a: "healthy", b: "healthy" }, [() => redis]);
    expect(pool.readiness()).toEqual({ ready: false, reasons: ["the security store (Redis) does not answer"] });
    redis = undefined;
    expect(pool.readiness()).toEqual({ ready: true, reasons: [] });
  });
});
