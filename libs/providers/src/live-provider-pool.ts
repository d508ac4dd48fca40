import type { ConfigSnapshot, TaskConfig } from "@llm-pool/config";
import {
  Code,
  PoolError,
  systemClock,
  type Provider,
  type ProviderHealthRecord,
  type ProviderPool,
  type ProviderUnavailability,
} from "@llm-pool/core";
import { silentLogger, type ProviderLogger } from "./driver.js";
import { HealthMonitor } from "./health/health-monitor.js";
import { ProviderSet, type ApplyReport, type EngineStats, type ProviderSetOptions } from "./provider-set.js";
import type { WarmUpResult } from "./warm-up.js";

/**
 * LiveProviderPool is the ProviderPool the composition root runs: the
 * ProviderSet of the current snapshot kept live by its health monitor and by
 * warm-up after every snapshot. `start` once with the first snapshot, `reload`
 * with each new one, `close` at shutdown; everything else is the ProviderPool
 * the orchestrator uses.
 */
export class LiveProviderPool implements ProviderPool {
  readonly providers: ProviderSet;
  readonly monitor: HealthMonitor;
  readonly #logger: ProviderLogger;
  #warming: Promise<WarmUpResult[]> = Promise.resolve([]);
  readonly #stopWarming = new AbortController();

  constructor(options: ProviderSetOptions) {
    this.providers = new ProviderSet(options);
    this.#logger = options.logger ?? silentLogger;
    this.monitor = new HealthMonitor(this.providers, { clock: options.clock ?? systemClock, logger: this.#logger });
  }

  /** Builds the providers, starts probing them and warms their models in the background (R-PRV-6). */
  start(config: ConfigSnapshot): ApplyReport {
    const report = this.providers.apply(config);
    this.monitor.start();
    this.#warm();
    return report;
  }

  /** Follows a reload: unchanged providers stay as they are; added and changed ones are built and warmed. */
  reload(config: ConfigSnapshot): ApplyReport {
    const report = this.providers.apply(config);
    const { added, replaced, removed, failed } = report;
    this.#logger.info({ config: config.version, added, replaced, removed, failed }, "providers reloaded");
    this.#warm();
    return report;
  }

  /** Stops probing, then drains and closes every provider (embedded models are freed). */
  async close(): Promise<void> {
    this.monitor.stop();
    this.#stopWarming.abort(new PoolError(Code.Canceled, "the pool is shutting down"));
    await this.#warming.catch(() => []);
    await this.providers.close();
  }

  /** The latest warm-up's results (tests and readiness checks can wait on it). */
  warming(): Promise<WarmUpResult[]> {
    return this.#warming;
  }

  forTask(config: ConfigSnapshot, task: TaskConfig): readonly Provider[] {
    return this.providers.forTask(config, task);
  }

  health(config: ConfigSnapshot): readonly ProviderHealthRecord[] {
    return this.providers.health(config);
  }

  unavailable(config: ConfigSnapshot, task: TaskConfig): readonly ProviderUnavailability[] {
    return this.providers.unavailable(config, task);
  }

  /** Whether a call on `engine` would start at once (for hedging decisions). */
  named(config: ConfigSnapshot, name: string): Provider | undefined {
    return this.providers.named(config, name);
  }

  /** Each engine's admission state now, for the llmpool_engine_* metrics. */
  engines(): EngineStats[] {
    return this.providers.engines();
  }

  hasFreeSlot(engine: string): boolean {
    return this.providers.hasFreeSlot(engine);
  }

  #warm(): void {
    // Warm-ups of successive reloads run one after another, each warming what is still cold.
    this.#warming = this.#warming.catch(() => []).then(() => this.providers.warmUp({ signal: this.#stopWarming.signal }));
  }
}

/** The composition root's one call: `startPool({ ..., providers: createProviderPool })`. */
export function createProviderPool(options: ProviderSetOptions): LiveProviderPool {
  return new LiveProviderPool(options);
}
