import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { fastestTaskToml, type BenchProvider } from "../config-toml.js";
import type { OverloadScenario } from "./overload-scenario.js";

/** How the pool is configured for one run; every knob is a real config field (or what the client sends). */
export interface OverloadPolicy {
  readonly label: string;
  /** `max_concurrency` of the engine; undefined: the driver's default. */
  readonly maxConcurrency?: number;
  readonly adaptiveConcurrency: boolean;
  /** `[breaker] slow_factor`: 0 counts every timeout in the engine, as the pool did before outcome classes. */
  readonly slowFactor: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  /** Whether queries name their tenant (the orchestrator then passes it to the engine queue). */
  readonly tenants: boolean;
}

/**
 * The behaviour before outcome classes and admission (R-QOS-4, R-QOS-5), on today's code: the old defaults and rules
 * (one call at a time on an Ollama engine, every timeout in the engine counted
 * toward breakers and health, five-minute openings, one first-come queue for
 * every client).
 */
export const OLD_POLICY: OverloadPolicy = {
  label: "before",
  maxConcurrency: 1,
  adaptiveConcurrency: false,
  slowFactor: 0,
  openMs: 300_000,
  maxOpenMs: 300_000,
  tenants: false,
};

/** The shipped defaults. */
export const NEW_POLICY: OverloadPolicy = {
  label: "now",
  adaptiveConcurrency: true,
  slowFactor: 2,
  openMs: 5_000,
  maxOpenMs: 300_000,
  tenants: true,
};

/** max_concurrency set far above the engine's two slots: the queue moves into the engine unless the limit is learned. */
export const FIXED_8: OverloadPolicy = { ...NEW_POLICY, label: "max 8, fixed", maxConcurrency: 8, adaptiveConcurrency: false };
export const ADAPTIVE_8: OverloadPolicy = { ...NEW_POLICY, label: "max 8, learned", maxConcurrency: 8, adaptiveConcurrency: true };

export const BENCH_TASK = "expand_queries";

/** The example config's Mac mini for one policy: one engine, FAST-LOW on expand_queries. */
export function overloadConfigToml(scenario: OverloadScenario, policy: OverloadPolicy, engineUrl: string): string {
  const providers: BenchProvider[] = scenario.models.map((m) => ({
    name: m.provider,
    model: m.model,
    engine: "mac-mini",
    baseUrl: engineUrl,
    ...(policy.maxConcurrency === undefined ? {} : { maxConcurrency: policy.maxConcurrency }),
  }));
  return `
[qos]
max_deadline_ms = ${scenario.deadlineMs}
default_deadline_ms = ${scenario.deadlineMs}
hedge_after_ms = 300
deadline_margin_ms = 30
adaptive_concurrency = ${policy.adaptiveConcurrency}

[breaker]
window_size = 50
failure_rate = 0.10
min_calls = 10
open_ms = ${policy.openMs}
max_open_ms = ${policy.maxOpenMs}
half_open_probes = 1
slow_factor = ${policy.slowFactor}
${fastestTaskToml(BENCH_TASK, providers, 64)}`;
}

export function overloadConfig(scenario: OverloadScenario, policy: OverloadPolicy, engineUrl: string): Promise<ConfigSnapshot> {
  return parseConfig(overloadConfigToml(scenario, policy, engineUrl), { baseDir: process.cwd(), env: {}, path: "overload-bench.toml" });
}
