import { Gauge, type Registry } from "prom-client";

/** One provider's win-rate for one task (R-ENS-3), as the win-rate store knows it now. */
export interface WinRateSample {
  readonly provider: string;
  readonly task: string;
  /** In [0, 1]; 0.5 is the neutral prior. */
  readonly rate: number;
}

/** One (provider, task) circuit breaker's state now. */
export interface BreakerSample {
  readonly provider: string;
  readonly task: string;
  readonly state: string;
}

export interface ProviderHealthSample {
  readonly name: string;
  readonly state: string;
}

/** Where the state gauges read from at each scrape; each `watch` replaces its source. */
export interface StateMetrics {
  watchProviderHealth(source: () => readonly ProviderHealthSample[]): void;
  watchBreakers(source: () => Iterable<BreakerSample>): void;
  watchWinRates(source: () => Iterable<WinRateSample>): void;
  /** Readiness as /readyz reports it. */
  watchReadiness(source: () => { readonly ready: boolean }): void;
}

const PROVIDER_STATES = ["unknown", "healthy", "degraded", "unhealthy"] as const;
const BREAKER_STATES = ["closed", "open", "half_open"] as const;

/**
 * Gauges read from their source at every scrape instead of set as things
 * happen: health, breakers and win-rates live elsewhere, and a series whose
 * provider left the config is gone from the next scrape. A state gauge has
 * one series per possible state, 1 for the current one, so a dashboard can
 * count providers per state without knowing how states are numbered.
 */
export function createStateMetrics(registry: Registry): StateMetrics {
  let health: () => readonly ProviderHealthSample[] = () => [];
  let breakers: () => Iterable<BreakerSample> = () => [];
  let winRates: () => Iterable<WinRateSample> = () => [];
  let readiness: () => { readonly ready: boolean } = () => ({ ready: true });

  new Gauge({
    name: "llmpool_provider_health",
    help: "1 for each provider's current health state (unknown, healthy, degraded, unhealthy).",
    labelNames: ["provider", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of health()) {
        for (const state of PROVIDER_STATES) this.set({ provider: p.name, state }, p.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "llmpool_breaker_state",
    help: "1 for each (provider, task) circuit breaker's current state (closed, open, half_open).",
    labelNames: ["provider", "task", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const b of breakers()) {
        for (const state of BREAKER_STATES) this.set({ provider: b.provider, task: b.task, state }, b.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "llmpool_provider_win_rate",
    help: "Share of ensemble decisions won by the provider for the task, decayed over time (0.5 = no history).",
    labelNames: ["provider", "task"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { provider, task, rate } of winRates()) this.set({ provider, task }, rate);
    },
  });
  new Gauge({
    name: "llmpool_ready",
    help: "1 while the pool is ready to answer (/readyz 200, gRPC health SERVING), 0 while it is not.",
    registers: [registry],
    collect() {
      this.set(readiness().ready ? 1 : 0);
    },
  });

  return {
    watchProviderHealth: (source) => void (health = source),
    watchBreakers: (source) => void (breakers = source),
    watchWinRates: (source) => void (winRates = source),
    watchReadiness: (source) => void (readiness = source),
  };
}
