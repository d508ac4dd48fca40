import { createProviderPool } from "@llm-pool/providers";
import { SimClock } from "../sim/sim-clock.js";
import { SimEngine } from "../sim/sim-engine.js";
import { overloadConfig, type OverloadPolicy } from "./overload-policy.js";
import { runQueries, type OverloadRun } from "./overload-run.js";
import { simDrivers } from "../sim/sim-driver.js";
import { drawOverloadQueries, queryOfPrompt, type OverloadQuery, type OverloadScenario } from "./overload-scenario.js";

/**
 * One policy over one scenario on the simulated Mac mini: the shipped
 * providers (PooledProvider, EngineQueue, health monitor), ensemble
 * (FASTEST, breakers, hedge budget) and orchestrator, with a driver that
 * talks to a SimEngine, all on one virtual clock. No wall time passes.
 */
export async function simulateOverload(
  scenario: OverloadScenario,
  policy: OverloadPolicy,
  queries: readonly OverloadQuery[] = drawOverloadQueries(scenario),
): Promise<OverloadRun> {
  const clock = new SimClock(1_800_000_000_000);
  // Independent slots (no contention): two answers at once, each at full speed, as the model.
  const sim = new SimEngine(
    { name: "mac-mini", slots: scenario.engineSlots, contention: 0, batchContention: 0 },
    clock,
    scenario.models.map((m) => m.model),
  );
  const config = await overloadConfig(scenario, policy, "http://sim.invalid:11434");
  const providers = createProviderPool({
    env: {},
    clock,
    drivers: simDrivers({
      engineOf: () => sim,
      callOf: (provider, prompt) => {
        const query = queryOfPrompt(queries, prompt);
        const model = scenario.models.find((m) => m.provider === provider)!.model;
        return query && { model, coldLoadMs: 0, workMs: query.workMs[provider] ?? 400, stallMs: 0 };
      },
    }),
  });
  providers.start(config);
  const end = Math.max(0, ...queries.map((q) => q.at)) + scenario.deadlineMs + 1000;
  return runQueries({ config, providers, clock, policy }, queries, async (all) => {
    await clock.runSettled(clock.now() + end);
    await providers.close();
    await clock.runSettled();
    await all;
  });
}
