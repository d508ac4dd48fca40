// Test-only: drive a HealthMonitor by hand (probeNow) against a real engine, with bounded polling.
import type { ProviderStateName } from "@llm-pool/core";
import type { HealthMonitor } from "../../src/health/health-monitor.js";
import type { HealthPolicy } from "../../src/health/health-policy.js";
import type { ProviderSet } from "../../src/provider-set.js";

/**
 * Timers an hour long, so after the monitor's first probe only the test's probeNow() calls probe;
 * a generous probe timeout for a loaded 2-core machine. Thresholds stay the defaults (3 failures
 * make unhealthy, 2 successes recover).
 */
export const quietHealthPolicy: Partial<HealthPolicy> = {
  intervalMs: 3_600_000,
  backoffBaseMs: 3_600_000,
  backoffMaxMs: 3_600_000,
  probeTimeoutMs: 15_000,
};

/**
 * Probes `name` now, again and again (100 ms apart, at most `maxProbes` times), until its state is
 * `wanted`; returns the states seen. Throws with them when it never gets there.
 */
export async function probeUntil(
  monitor: HealthMonitor,
  providers: ProviderSet,
  name: string,
  wanted: ProviderStateName,
  maxProbes = 20,
): Promise<ProviderStateName[]> {
  const seen: ProviderStateName[] = [];
  for (let i = 0; i < maxProbes; i++) {
    await monitor.probeNow(name);
    const provider = providers.get(name);
    if (!provider) throw new Error(`provider ${name} is not in the providers`);
    seen.push(provider.health.state);
    if (provider.health.state === wanted) return seen;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  const last = providers.get(name)?.health.record();
  throw new Error(`${name} never became ${wanted} in ${maxProbes} probes; states seen: ${seen.join(" -> ")}; last error: ${last?.lastError ?? "?"}`);
}
