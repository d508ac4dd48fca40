import type { ConfigSnapshot } from "@llm-pool/config";
import type { BreakerBoard } from "@llm-pool/qos";
import type { BreakerSample } from "@llm-pool/telemetry";

/**
 * Every breaker the config can use, one per (provider, task) of each enabled
 * task, with its state now ("closed" for a pair never called), so the
 * dashboard shows every breaker, not only the ones that were ever called.
 */
export function breakerSamples(config: ConfigSnapshot, board: BreakerBoard): BreakerSample[] {
  const samples: BreakerSample[] = [];
  for (const task of Object.values(config.tasks)) {
    if (!task.enabled) continue;
    for (const provider of new Set([...task.providers, ...task.fallback_providers])) {
      samples.push({ provider, task: task.name, state: board.state(provider, task.name) });
    }
  }
  return samples;
}
