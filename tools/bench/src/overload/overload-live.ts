import type { Scenario } from "@llm-pool/mock-engine";
import { createProviderPool } from "@llm-pool/providers";
import { hostEngines } from "../live/engine-host-client.js";
import { scaledClock } from "../live/scaled-clock.js";
import { watchMachine } from "./machine-watch.js";
import { overloadConfig, type OverloadPolicy } from "./overload-policy.js";
import { runQueries, type OverloadRun, type PoolUnderLoad } from "./overload-run.js";
import { drawOverloadQueries, type OverloadScenario } from "./overload-scenario.js";

/** The scenario's engine as a mock engine: Ollama's API, its slots, each model's latency. */
export function mockEngineScenario(scenario: OverloadScenario, timeScale: number): Scenario {
  return {
    seed: scenario.seed,
    slots: scenario.engineSlots,
    time_scale: timeScale,
    models: Object.fromEntries(
      scenario.models.map((m) => [m.model, { latency: { kind: "lognormal" as const, p50_ms: m.work.p50, p95_ms: m.work.p95 } }]),
    ),
  };
}

/**
 * One policy over one scenario against a fresh mock engine (in its own
 * process) over real HTTP: the shipped Ollama driver, providers, ensemble and
 * orchestrator, in real time slowed by `timeScale` on both sides. For the
 * bench only: its numbers move a little with the machine's load.
 */
export function liveOverload(scenario: OverloadScenario, policy: OverloadPolicy, timeScale: number): Promise<OverloadRun> {
  return withLivePool(scenario, policy, timeScale, async (pool) => {
    const machine = watchMachine();
    const run = await runQueries({ ...pool, policy }, drawOverloadQueries(scenario), async (all) => {
      await all;
    });
    return { ...run, machine: machine.stop() };
  });
}

/**
 * The pool's providers under `policy`, warmed up, over a fresh mock engine of
 * `scenario` in its own process, with real time slowed by `timeScale` on both
 * sides; closes both once `use` settles.
 */
export async function withLivePool<T>(
  scenario: OverloadScenario,
  policy: OverloadPolicy,
  timeScale: number,
  use: (pool: Omit<PoolUnderLoad, "policy">) => Promise<T>,
): Promise<T> {
  const hosted = await hostEngines([mockEngineScenario(scenario, timeScale)]);
  try {
    const clock = scaledClock(timeScale);
    const config = await overloadConfig(scenario, policy, hosted.urls[0]!);
    const providers = createProviderPool({ env: {}, clock });
    providers.start(config);
    await providers.warming();
    try {
      return await use({ config, providers, clock });
    } finally {
      await providers.close();
    }
  } finally {
    await hosted.close();
  }
}
