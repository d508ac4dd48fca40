import type { ProviderConfig, TaskName } from "@llm-pool/config";
import {
  Code,
  linkedAbort,
  PoolError,
  type CallForecast,
  type Clock,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
  type TextSink,
} from "@llm-pool/core";
import type { DeadlineAwareRequest, Driver } from "./driver.js";
import { SaturatedError, type EngineQueue, type EngineWork, type SlotLease } from "./engine-queue.js";
import type { HealthTracker } from "./health/health-tracker.js";
import { ProviderError } from "./provider-error.js";

/** How a provider judges its calls; read at each call, so a reload applies at once. */
export interface CallJudgement {
  /**
   * A timeout counts as engine slowness only when the engine had the call for
   * at least this many times its typical time for such a call (`[breaker] slow_factor`).
   * 0 counts every timeout, in the engine or in its queue (the rule before outcome classes).
   */
  readonly slowFactor: number;
}

export const DEFAULT_CALL_JUDGEMENT: CallJudgement = { slowFactor: 2 };

/**
 * PooledProvider is a Provider as the ProviderSet builds it, and what the
 * orchestrator calls: a driver behind its engine's slot queue, with the
 * provider's own `timeout_ms`, errors normalized to ProviderError, and every
 * result reported to the provider's health. It also drains before its driver
 * is closed, so a reload never cuts a running call.
 *
 * It classifies how each call ended (R-QOS-4): a call that expired while
 * queued is overload; a caller's deadline that passes while the engine works
 * is the caller's, unless the engine had far more than its own typical time
 * for such a call (engine_slow); the provider's own `timeout_ms` is the
 * operator's budget, so passing it is always engine_slow. Health counts only
 * engine faults and engine slowness, like the breakers.
 */
export class PooledProvider implements Provider {
  readonly name: string;
  readonly driver: string;
  readonly model: string;
  readonly engine: string;
  readonly config: ProviderConfig;
  readonly health: HealthTracker;
  readonly queue: EngineQueue;
  readonly #impl: Driver;
  readonly #clock: Clock;
  readonly #judgement: () => CallJudgement;
  #inFlight = 0;
  #onIdle: (() => void) | undefined;
  #closing = false;
  #warmed = false;

  constructor(
    config: ProviderConfig,
    impl: Driver,
    queue: EngineQueue,
    health: HealthTracker,
    clock: Clock,
    judgement: () => CallJudgement = () => DEFAULT_CALL_JUDGEMENT,
  ) {
    this.name = impl.name;
    this.driver = impl.driver;
    this.model = impl.model;
    this.engine = impl.engine;
    this.config = config;
    this.#impl = impl;
    this.queue = queue;
    this.health = health;
    this.#clock = clock;
    this.#judgement = judgement;
  }

  supports(task: TaskName): boolean {
    return this.#impl.supports(task);
  }

  /** Whether a call to this provider would start at once (its engine has a free slot). */
  hasFreeSlot(): boolean {
    return this.queue.hasFreeSlot();
  }

  /** When a call like `request` would start and how long it would take, by the engine queue's own estimate. */
  forecast(request: ProviderRequest): CallForecast | undefined {
    return this.queue.forecast(this.#work(request));
  }

  /**
   * Whether the model is loaded on its engine, as the driver last learned it (Ollama: /api/ps
   * read by the health probe, then our own calls; embedded: loaded in process); undefined when
   * the driver cannot tell (openai, http). Costs no request.
   */
  isResident(): boolean | undefined {
    return this.#impl.isResident?.();
  }

  /** True once a warm-up succeeded; a rebuilt provider starts cold. */
  get warmed(): boolean {
    return this.#warmed;
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    return this.#call(request, signal, (req, sig) => this.#impl.infer(req, sig));
  }

  /** `infer`, streamed (R-API-6): the driver's text pieces go to `onText` as the engine writes them. */
  inferStream(request: ProviderRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    return this.#call(request, signal, (req, sig) => this.#impl.inferStream(req, sig, onText));
  }

  /** One engine call: a slot of the engine's queue, the provider's timeout, errors normalized, health told. */
  async #call(
    request: ProviderRequest,
    signal: AbortSignal,
    run: (request: DeadlineAwareRequest, signal: AbortSignal) => Promise<ProviderResult>,
  ): Promise<ProviderResult> {
    this.#begin();
    const timeout = this.#timeout(signal, (request as DeadlineAwareRequest).deadlineAt);
    const deadlineAt = earliest((request as DeadlineAwareRequest).deadlineAt, timeout.at);
    try {
      const lease = await this.#acquire(timeout.signal, deadlineAt, this.#work(request));
      const startedAt = this.#clock.now();
      try {
        const result = await run({ ...request, ...(deadlineAt === undefined ? {} : { deadlineAt }) }, timeout.signal);
        lease.release(this.#clock.now() - startedAt);
        this.health.recordSuccess();
        return result;
      } catch (reason) {
        const heldMs = this.#clock.now() - startedAt;
        const error = this.#judge(ProviderError.from(reason, this.name, timeout.signal), request, heldMs, timeout.fired());
        // The engine said it is busy: fewer calls at once (R-QOS-5). A call it held far too long is one
        // latency among the limit's samples: one stalled generation is not the engine being overloaded.
        lease.release(undefined, {
          overloaded: error.kind === "rate_limited",
          ...(error.callEnd === "engine_slow" ? { heldMs } : {}),
        });
        if (error.countsAsFailure) this.health.recordFailure(error.message);
        throw error;
      }
    } finally {
      timeout.dispose();
      this.#end();
    }
  }

  /** The active probe; the health monitor records its result. */
  probe(signal: AbortSignal): Promise<void> {
    return this.#impl.probe(signal);
  }

  /** Loads the model through the engine's queue (a load occupies the engine); the outcome is a health result too. */
  async warmUp(signal: AbortSignal): Promise<void> {
    this.#begin();
    try {
      const lease = await this.#acquire(signal, undefined, undefined);
      try {
        await this.#impl.warmUp(signal);
        this.#warmed = true;
        this.health.recordSuccess();
      } catch (reason) {
        const error = ProviderError.from(reason, this.name, signal);
        if (error.countsAsFailure) this.health.recordFailure(error.message);
        throw error;
      } finally {
        lease.release();
      }
    } finally {
      this.#end();
    }
  }

  /** Refuses new calls, waits for running ones, then closes the driver (an embedded model is freed). */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#onIdle = resolve));
    await this.#impl.close();
  }

  async #acquire(signal: AbortSignal, deadlineAt: number | undefined, work: EngineWork | undefined): Promise<SlotLease> {
    try {
      return await this.queue.acquire(signal, deadlineAt, work);
    } catch (reason) {
      if (reason instanceof SaturatedError) {
        throw new ProviderError(this.name, "saturated", reason.message, { cause: reason, retryAfterMs: reason.retryAfterMs });
      }
      const error = ProviderError.from(reason, this.name, signal);
      if (error.kind !== "timeout") throw error;
      // Never reached the engine: a deadline that passed in the queue is load, not the engine's fault
      // (slow_factor = 0 keeps the rule from before outcome classes: every timeout counts).
      const end = this.#judgement().slowFactor === 0 ? "engine_slow" : "overload";
      throw error.reclassified(end, `expired while queued for engine ${this.engine}`);
    }
  }

  /**
   * A timeout in the engine is engine_slow when the provider's own timeout_ms
   * passed, or when the engine had the call for at least slow_factor times its
   * typical time for such a call; otherwise the caller's deadline was too short.
   */
  #judge(error: ProviderError, request: ProviderRequest, inEngineMs: number, ownTimeout: boolean): ProviderError {
    if (error.kind !== "timeout") return error;
    if (ownTimeout) return error.reclassified("engine_slow", `the engine did not answer within timeout_ms = ${this.config.timeout_ms} ms`);
    const factor = this.#judgement().slowFactor;
    if (factor === 0) return error.reclassified("engine_slow", `the engine ran ${Math.round(inEngineMs)} ms without answering`);
    const typical = this.queue.typicalMs(this.#work(request));
    if (typical === undefined || inEngineMs < factor * typical) return error;
    return error.reclassified(
      "engine_slow",
      `the engine ran ${Math.round(inEngineMs)} ms without answering, over ${factor}x its typical ${Math.round(typical)} ms`,
    );
  }

  #work(request: ProviderRequest): EngineWork {
    return {
      model: this.model,
      task: request.task,
      maxTokens: request.maxTokens,
      ...(request.tenant === undefined ? {} : { tenant: request.tenant }),
      ...(request.priority === undefined ? {} : { priority: request.priority }),
    };
  }

  #begin(): void {
    if (this.#closing) throw new ProviderError(this.name, "engine", "the provider was removed by a config reload");
    this.#inFlight++;
  }

  #end(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) this.#onIdle?.();
  }

  /**
   * The call's signal, also aborted (as a deadline) when the provider's `timeout_ms` passes. A call whose
   * deadline comes first (the usual case: queries' deadlines are seconds, timeout_ms a minute) keeps its own
   * signal, which aborts by then: no controller, listener or timer of its own.
   */
  #timeout(signal: AbortSignal, deadlineAt: number | undefined): { signal: AbortSignal; at: number | undefined; fired(): boolean; dispose(): void } {
    const ms = this.config.timeout_ms;
    if (ms === null) return { signal, at: undefined, fired: () => false, dispose() {} };
    const at = this.#clock.now() + ms;
    if (deadlineAt !== undefined && deadlineAt <= at) return { signal, at, fired: () => false, dispose() {} };
    const own = linkedAbort(signal);
    let fired = false;
    const cancel = this.#clock.setTimer(ms, () => {
      fired = true;
      own.controller.abort(new PoolError(Code.DeadlineExceeded, `provider timeout of ${ms} ms exceeded`));
    });
    return {
      signal: own.signal,
      at,
      fired: () => fired,
      dispose() {
        cancel();
        own.unlink();
      },
    };
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
