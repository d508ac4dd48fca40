import type { ConfigSnapshot, ProviderConfig, TaskConfig } from "@llm-pool/config";
import {
  systemClock,
  type Clock,
  type Provider,
  type ProviderHealthRecord,
  type ProviderPool,
  type ProviderUnavailability,
} from "@llm-pool/core";
import { silentLogger, type DriverContext, type DriverFactory, type DriversByKind, type ProviderEnv, type ProviderLogger } from "./driver.js";
import { DEFAULT_DRIVERS } from "./drivers.js";
import { createEngineHttp, type EngineHttp } from "./engine-http.js";
import { EngineQueue } from "./engine-queue.js";
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from "./health/health-policy.js";
import { HealthTracker } from "./health/health-tracker.js";
import { DEFAULT_CALL_JUDGEMENT, PooledProvider } from "./pooled-provider.js";
import { sameConfig } from "./same-config.js";
import { warmUpProviders, type WarmUpResult } from "./warm-up.js";

export interface ProviderSetOptions {
  /** Where `api_key_env` and `${ENV}` header references are read (the composition root passes process.env). */
  readonly env: ProviderEnv;
  readonly clock?: Clock;
  /** How drivers reach engines; default an undici keep-alive pool per engine, owned and closed by the set. */
  readonly http?: EngineHttp;
  readonly logger?: ProviderLogger;
  /** Replaces drivers by name (tests inject fakes); the rest come from DEFAULT_DRIVERS. */
  readonly drivers?: Partial<DriversByKind>;
  readonly healthPolicy?: Partial<HealthPolicy>;
}

/** One engine's admission state: what llmpool_engine_* metrics show. */
export interface EngineStats {
  readonly engine: string;
  readonly limit: number;
  readonly maxConcurrency: number;
  readonly active: number;
  readonly waiting: number;
}

/** What a config snapshot changed, by provider name. */
export interface ApplyReport {
  readonly added: readonly string[];
  readonly kept: readonly string[];
  /** Same name, different config: rebuilt, and the old one closed. */
  readonly replaced: readonly string[];
  readonly removed: readonly string[];
  /** Providers whose driver could not be built (e.g. an env var missing here); they report unhealthy. */
  readonly failed: readonly string[];
  /** Resolves when every removed or replaced provider has drained and closed. */
  readonly closed: Promise<void>;
}

interface FailedProvider {
  readonly config: ProviderConfig;
  readonly record: ProviderHealthRecord;
}

/**
 * ProviderSet is the providers of the applied config snapshot (a
 * ProviderPool without its background jobs): it builds a PooledProvider per
 * configured provider, shares one EngineQueue per engine, keeps providers
 * whose config did not change across reloads (their health, warm model and
 * connections with them), and closes the ones a reload removed or changed.
 *
 * LiveProviderPool calls `apply(snapshot)` at start and after every reload,
 * then `warmUp()`, and runs a HealthMonitor over the set.
 */
export class ProviderSet implements ProviderPool {
  readonly healthPolicy: HealthPolicy;
  readonly #context: DriverContext;
  readonly #drivers: DriversByKind;
  readonly #providers = new Map<string, PooledProvider>();
  readonly #failed = new Map<string, FailedProvider>();
  readonly #engines = new Map<string, EngineQueue>();
  readonly #listeners = new Set<() => void>();
  /** The HTTP client the set built (and closes); none when one was injected. */
  readonly #ownHttp: { close(): Promise<void> } | undefined;
  #applied: ConfigSnapshot | undefined;

  constructor(options: ProviderSetOptions) {
    const own = options.http ? undefined : createEngineHttp();
    this.#ownHttp = own;
    this.#context = {
      env: options.env,
      clock: options.clock ?? systemClock,
      http: options.http ?? own!.send,
      logger: options.logger ?? silentLogger,
    };
    this.#drivers = { ...DEFAULT_DRIVERS, ...options.drivers };
    this.healthPolicy = { ...DEFAULT_HEALTH_POLICY, ...options.healthPolicy };
  }

  /** Brings the set in line with a snapshot. Synchronous: drivers connect and load lazily or at warm-up. */
  apply(config: ConfigSnapshot): ApplyReport {
    this.#applied = config;
    for (const engine of config.engines) {
      const queue = this.#engines.get(engine.name);
      const adaptive = config.qos.adaptive_concurrency;
      if (queue) queue.reconfigure(engine.max_concurrency, adaptive);
      else this.#engines.set(engine.name, this.#newQueue(engine.name, engine.max_concurrency, adaptive));
    }
    for (const name of [...this.#engines.keys()]) {
      if (!config.engines.some((engine) => engine.name === name)) this.#engines.delete(name);
    }

    const added: string[] = [];
    const kept: string[] = [];
    const replaced: string[] = [];
    const failed: string[] = [];
    const closing: Promise<void>[] = [];
    const wanted = new Set(config.providers.map((provider) => provider.name));
    for (const providerConfig of config.providers) {
      const existing = this.#providers.get(providerConfig.name);
      if (existing && sameConfig(existing.config, providerConfig)) {
        kept.push(providerConfig.name);
        continue;
      }
      if (existing) {
        replaced.push(providerConfig.name);
        this.#providers.delete(providerConfig.name);
        closing.push(this.#close(existing));
      } else if (!this.#failed.has(providerConfig.name) || !sameConfig(this.#failed.get(providerConfig.name)!.config, providerConfig)) {
        added.push(providerConfig.name);
      }
      const built = this.#build(providerConfig);
      if (built) this.#providers.set(providerConfig.name, built);
      else failed.push(providerConfig.name);
    }
    const removed: string[] = [];
    for (const [name, provider] of this.#providers) {
      if (wanted.has(name)) continue;
      removed.push(name);
      this.#providers.delete(name);
      closing.push(this.#close(provider));
    }
    for (const name of [...this.#failed.keys()]) if (!wanted.has(name)) this.#failed.delete(name);
    for (const listener of this.#listeners) listener();
    return { added, kept, replaced, removed, failed, closed: Promise.all(closing).then(() => {}) };
  }

  /**
   * The task's providers in hedge order that exist for this snapshot, are not
   * unhealthy and serve the task; the fallback providers only when none of the
   * primary ones is usable.
   */
  forTask(config: ConfigSnapshot, task: TaskConfig): readonly Provider[] {
    this.#applyIfFirst(config);
    const primary = this.#usable(config, task, task.providers);
    return primary.length > 0 ? primary : this.#usable(config, task, task.fallback_providers);
  }

  /**
   * Why each of the task's providers (then its fallback providers) is left out
   * by `forTask`: unhealthy with its last error (and whether its model is
   * loaded), a driver that could not be built, a provider being replaced by a
   * reload, or one that does not serve the task.
   */
  unavailable(config: ConfigSnapshot, task: TaskConfig): readonly ProviderUnavailability[] {
    this.#applyIfFirst(config);
    return [...task.providers, ...task.fallback_providers].flatMap((name): ProviderUnavailability[] => {
      const providerConfig = config.providers.find((provider) => provider.name === name);
      if (!providerConfig) return [{ provider: name, reason: "not configured" }];
      const failed = this.#failed.get(name);
      if (failed && sameConfig(failed.config, providerConfig)) return [{ provider: name, reason: `driver could not be built: ${failed.record.lastError}` }];
      const provider = this.#matching(providerConfig);
      if (!provider) return [{ provider: name, reason: "being replaced by a config reload" }];
      if (!provider.supports(task.name)) return [{ provider: name, reason: `does not serve task ${task.name}` }];
      if (provider.health.state !== "unhealthy") return [];
      const cold = provider.isResident() === false ? " (model not loaded)" : "";
      return [{ provider: name, reason: `unhealthy${cold}: ${provider.health.record().lastError || "failed its health checks"}` }];
    });
  }

  /** Every configured provider's health, in config order. */
  health(config: ConfigSnapshot): readonly ProviderHealthRecord[] {
    this.#applyIfFirst(config);
    return config.providers.map((providerConfig) => {
      const provider = this.#matching(providerConfig);
      if (provider) return provider.health.record();
      const failed = this.#failed.get(providerConfig.name);
      if (failed && sameConfig(failed.config, providerConfig)) return failed.record;
      return { name: providerConfig.name, driver: providerConfig.driver, model: providerConfig.model, state: "unknown", lastError: "", updatedAt: 0 };
    });
  }

  /** The current providers, in the order of the last applied snapshot. */
  providers(): readonly PooledProvider[] {
    const order = this.#applied?.providers ?? [];
    return order.flatMap((config) => this.#providers.get(config.name) ?? []);
  }

  /** The provider called `name` when it exists and is not unhealthy (the judge is looked up this way). */
  named(config: ConfigSnapshot, name: string): Provider | undefined {
    this.#applyIfFirst(config);
    const provider = this.#providers.get(name);
    const state = this.health(config).find((r) => r.name === name)?.state;
    return provider && state !== "unhealthy" ? provider : undefined;
  }

  get(name: string): PooledProvider | undefined {
    return this.#providers.get(name);
  }

  engine(name: string): EngineQueue | undefined {
    return this.#engines.get(name);
  }

  /** Each engine's admission state now (learned limit, calls running and waiting), for metrics. */
  engines(): EngineStats[] {
    return [...this.#engines].map(([engine, queue]) => ({
      engine,
      limit: queue.limit,
      maxConcurrency: queue.maxConcurrency,
      active: queue.active,
      waiting: queue.waiting,
    }));
  }

  /** Whether a call on `engine` would start at once (false for an unknown engine). */
  hasFreeSlot(engine: string): boolean {
    return this.#engines.get(engine)?.hasFreeSlot() ?? false;
  }

  /**
   * Preloads models (R-PRV-6): by default only providers not warmed yet, so
   * calling it after every reload warms exactly what the reload added or changed.
   */
  warmUp(options: { signal?: AbortSignal; all?: boolean } = {}): Promise<WarmUpResult[]> {
    const targets = this.providers().filter((provider) => options.all || !provider.warmed);
    return warmUpProviders(targets, this.#context.logger, options.signal ?? new AbortController().signal);
  }

  /** Called after every apply (the health monitor follows the provider set with it). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drains and closes every provider (shutdown). */
  async close(): Promise<void> {
    const providers = [...this.#providers.values()];
    this.#providers.clear();
    for (const listener of this.#listeners) listener();
    await Promise.all(providers.map((provider) => this.#close(provider)));
    await this.#ownHttp?.close();
  }

  #usable(config: ConfigSnapshot, task: TaskConfig, names: readonly string[]): PooledProvider[] {
    const usable: PooledProvider[] = [];
    for (const name of names) {
      const providerConfig = config.providers.find((provider) => provider.name === name);
      const provider = providerConfig && this.#matching(providerConfig);
      if (provider && provider.health.state !== "unhealthy" && provider.supports(task.name)) usable.push(provider);
    }
    return usable;
  }

  /** The live provider built from exactly this config, if any (an old snapshot's changed provider is gone). */
  #matching(providerConfig: ProviderConfig): PooledProvider | undefined {
    const provider = this.#providers.get(providerConfig.name);
    return provider && (provider.config === providerConfig || sameConfig(provider.config, providerConfig)) ? provider : undefined;
  }

  #newQueue(name: string, maxConcurrency: number, adaptive: boolean): EngineQueue {
    return new EngineQueue({
      name,
      maxConcurrency,
      adaptive,
      clock: this.#context.clock,
      // Weights are read at each decision, so a reload of [tenancy] applies at once.
      weightOf: (tenant) => this.#applied?.tenancy.tenants[tenant]?.weight ?? 1,
    });
  }

  #build(config: ProviderConfig): PooledProvider | undefined {
    const { clock, logger } = this.#context;
    try {
      const factory = this.#drivers[config.driver] as DriverFactory;
      const impl = factory(config, this.#context);
      this.#failed.delete(config.name);
      const tracker = new HealthTracker({ name: config.name, driver: config.driver, model: config.model }, clock, this.healthPolicy);
      // Each call reads the breaker section in force, so a reload of slow_factor applies at once.
      const judgement = () => ({ slowFactor: this.#applied?.breaker.slow_factor ?? DEFAULT_CALL_JUDGEMENT.slowFactor });
      return new PooledProvider(config, impl, this.#engines.get(config.engine)!, tracker, clock, judgement);
    } catch (error) {
      const message = `${config.name}: ${error instanceof Error ? error.message : "the driver could not be built"}`;
      logger.warn({ provider: config.name, error: message }, "provider driver could not be built");
      this.#failed.set(config.name, {
        config,
        record: { name: config.name, driver: config.driver, model: config.model, state: "unhealthy", lastError: message, updatedAt: clock.now() },
      });
      return undefined;
    }
  }

  #close(provider: PooledProvider): Promise<void> {
    return provider.close().catch((error: unknown) => {
      this.#context.logger.warn({ provider: provider.name, error: error instanceof Error ? error.message : String(error) }, "provider did not close cleanly");
    });
  }

  #applyIfFirst(config: ConfigSnapshot): void {
    // Only the very first snapshot is applied implicitly: an old snapshot held by an in-flight
    // request must never roll the set back.
    if (this.#applied === undefined) this.apply(config);
  }
}
