import { Code, PoolError, type Clock, type ProviderHealthRecord, systemClock } from "@llm-pool/core";
import type { ConfigSnapshot } from "@llm-pool/config";
import { silentLogger, type ProviderLogger } from "../driver.js";
import type { PooledProvider } from "../pooled-provider.js";
import { ProviderError } from "../provider-error.js";
import type { ProviderSet } from "../provider-set.js";

export interface HealthMonitorOptions {
  /** Must be the provider set's clock (tests pass the same FakeClock to both). */
  readonly clock?: Clock;
  readonly logger?: ProviderLogger;
}

interface Schedule {
  readonly provider: PooledProvider;
  cancelTimer: () => void;
  /** Clock ms the next probe is due at. */
  dueAt: number;
  probing: AbortController | undefined;
  readonly unsubscribe: () => void;
}

/**
 * HealthMonitor probes every provider of a ProviderSet (R-PRV-5): at once when it
 * appears, then every `intervalMs` while healthy, and with capped exponential
 * backoff while failing or flapping (see HealthPolicy). Real calls feed the
 * same trackers; when they change a provider's state, its next probe is
 * rescheduled by the new state. The composition root starts it after the
 * first `apply` and stops it at shutdown; it follows reloads by itself.
 */
export class HealthMonitor {
  readonly #providers: ProviderSet;
  readonly #clock: Clock;
  readonly #logger: ProviderLogger;
  readonly #schedules = new Map<PooledProvider, Schedule>();
  #unsubscribe: (() => void) | undefined;

  constructor(providers: ProviderSet, options: HealthMonitorOptions = {}) {
    this.#providers = providers;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  get running(): boolean {
    return this.#unsubscribe !== undefined;
  }

  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#providers.onChange(() => this.#sync());
    this.#sync();
  }

  /** Cancels every pending probe and aborts the running ones. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const schedule of this.#schedules.values()) this.#drop(schedule);
    this.#schedules.clear();
  }

  /** The provider set's health view of `config` (core's ProviderHealthRecord, config order). */
  records(config: ConfigSnapshot): readonly ProviderHealthRecord[] {
    return this.#providers.health(config);
  }

  /** Probes one provider now (e.g. an operator's "check again"); resolves when the probe is done. */
  async probeNow(name: string): Promise<void> {
    const schedule = [...this.#schedules.values()].find((s) => s.provider.name === name);
    if (schedule) await this.#probe(schedule);
  }

  #sync(): void {
    const current = new Set(this.#providers.providers());
    for (const [provider, schedule] of this.#schedules) {
      if (current.has(provider)) continue;
      this.#drop(schedule);
      this.#schedules.delete(provider);
    }
    for (const provider of current) {
      if (this.#schedules.has(provider)) continue;
      const schedule: Schedule = {
        provider,
        cancelTimer: () => {},
        dueAt: 0,
        probing: undefined,
        // A real call changed the state: probe sooner if the new state asks for it (a failure), never later.
        unsubscribe: provider.health.onChange(() => {
          const delayMs = provider.health.nextProbeDelayMs();
          if (!schedule.probing && this.#clock.now() + delayMs < schedule.dueAt) this.#schedule(schedule, delayMs);
        }),
      };
      this.#schedules.set(provider, schedule);
      this.#schedule(schedule, 0);
    }
  }

  #schedule(schedule: Schedule, delayMs: number): void {
    schedule.cancelTimer();
    schedule.dueAt = this.#clock.now() + delayMs;
    schedule.cancelTimer = this.#clock.setTimer(delayMs, () => void this.#probe(schedule));
  }

  async #probe(schedule: Schedule): Promise<void> {
    if (schedule.probing) return;
    const { provider } = schedule;
    const controller = new AbortController();
    schedule.probing = controller;
    schedule.cancelTimer();
    const timeoutMs = this.#providers.healthPolicy.probeTimeoutMs;
    const cancelTimeout = this.#clock.setTimer(timeoutMs, () =>
      controller.abort(new PoolError(Code.DeadlineExceeded, `health probe timed out after ${timeoutMs} ms`)),
    );
    try {
      await provider.probe(controller.signal);
      if (this.#schedules.get(provider) !== schedule) return;
      provider.health.recordSuccess();
    } catch (reason) {
      if (this.#schedules.get(provider) !== schedule) return;
      const error = ProviderError.from(reason, provider.name, controller.signal);
      provider.health.recordFailure(error.message);
      this.#logger.warn({ provider: provider.name, kind: error.kind, state: provider.health.state, error: error.message }, "health probe failed");
    } finally {
      cancelTimeout();
      schedule.probing = undefined;
      if (this.#schedules.get(provider) === schedule) this.#schedule(schedule, provider.health.nextProbeDelayMs());
    }
  }

  #drop(schedule: Schedule): void {
    schedule.cancelTimer();
    schedule.unsubscribe();
    schedule.probing?.abort(new PoolError(Code.Canceled, "health monitor stopped"));
  }
}
