import { create } from "@bufbuild/protobuf";
import type { ConfigSnapshot, TenantConfig } from "@llm-pool/config";
import {
  HealthResponseSchema,
  ProviderState,
  ServingStatus,
  type Answer,
  type HealthResponse,
  type Query,
} from "@llm-pool/contract";
import { buildAnswer } from "./answer-builder.js";
import type { Clock } from "./clock.js";
import { Deadline, effectiveDeadlineMs } from "./deadline.js";
import type { AnswerCache, IdempotencyGuard, MemoContext } from "./answer-memo.js";
import type { Ensemble } from "./ensemble.js";
import { ensembleSettingsFrom } from "./ensemble-settings.js";
import type { CallContext, InferEvent, InferService, Readiness } from "./infer-service.js";
import { NoProviderError } from "./no-provider-error.js";
import { PoolError } from "./pool-error.js";
import { renderPrompt } from "./prompt-render.js";
import type { ProviderPool, ProviderStateName } from "./provider-pool.js";
import { resolveRequestId } from "./request-id.js";
import { streamEvents } from "./stream-events.js";
import { StreamedText } from "./streamed-text.js";
import type { SchemaCompiler } from "./schema-compiler.js";
import { bindTenant, type TenantScope } from "./tenant-binding.js";
import { strategyName, taskName } from "./task.js";
import type { PolicyQuery, TenantLimits } from "./tenant-limits.js";
import { validateQuery, type ValidQuery } from "./validate-query.js";

/** What the orchestrator reports about each finished query (for logs and metrics). */
export interface InferRecord {
  readonly requestId: string;
  readonly tenant: string;
  readonly project: string;
  readonly task: string;
  readonly strategy: string;
  /** The strategy that decided, after any fallback; empty when the query failed. */
  readonly strategyApplied: string;
  readonly winnerProvider: string;
  readonly winnerModel: string;
  readonly durationMs: number;
  readonly fromCache: boolean;
  /** "ok" or the error's machine code. */
  readonly outcome: string;
  readonly error?: PoolError;
  /** The prompt text, only with `[server] log_prompts = true` (R-OBS-2). */
  readonly prompt?: string;
  /** How the call came in (the edge's CallContext.entry); absent when no edge said. */
  readonly entry?: CallContext["entry"];
  /** Whether the client asked for the answer streamed (InferStream, an event stream, a door's `stream`). */
  readonly streamed: boolean;
  /** A streamed call only: from arrival to the first text sent, in ms; absent when none was sent. */
  readonly firstTokenMs?: number;
}

export interface InferObserver {
  onInfer(record: InferRecord): void;
}

export interface OrchestratorDeps {
  /** The config snapshot in force; each query holds the one it began with. */
  readonly config: () => ConfigSnapshot;
  readonly providers: ProviderPool;
  readonly ensemble: Ensemble;
  readonly clock: Clock;
  readonly observer?: InferObserver;
  readonly newId?: () => string;
  /** Answer cache and coalescing; without it every query runs the ensemble. */
  readonly cache?: AnswerCache;
  /** Idempotency by client request_id; without it duplicates run again. */
  readonly idempotency?: IdempotencyGuard;
  /**
   * Compiles a client's output schema at admission under the pool's limits; a
   * schema it refuses is INVALID_ARGUMENT before any engine call. Without it a
   * schema is only parsed, and the ensemble's validator meets it first.
   */
  readonly schemas?: SchemaCompiler;
  /**
   * The tenant's cost policy and daily tokens (R-SEC-6), for scopes whose
   * tenant is in the config; without it neither applies.
   */
  readonly tenantLimits?: TenantLimits;
  /**
   * What else the pool needs to answer, each saying why it cannot now (or
   * undefined when it can): a Redis the security stores refuse without.
   */
  readonly dependencies?: readonly (() => string | undefined)[];
}

/**
 * The pipeline behind every transport: validate -> bind tenant -> tenant
 * limits (policy, token reservation) -> idempotency -> cache -> ensemble ->
 * answer -> settle the reservation. It throws only PoolError, tagged with the request id.
 */
export class Orchestrator implements InferService {
  readonly #deps: OrchestratorDeps;

  constructor(deps: OrchestratorDeps) {
    this.#deps = deps;
  }

  infer(query: Query, ctx: CallContext): Promise<Answer> {
    return this.#serve(query, ctx, undefined);
  }

  /**
   * The same pipeline, streamed (R-API-6): the strategy's text as deltas,
   * its progress, then the answer. The same admission, limits, cache and
   * idempotency apply; a query refused or failed before its answer ends the
   * stream with that PoolError. See stream-events.ts for the delta rule.
   */
  inferStream(query: Query, ctx: CallContext): AsyncIterable<InferEvent> {
    return streamEvents((stream, signal) => this.#serve(query, { ...ctx, signal }, new StreamedText(stream, this.#deps.clock)), ctx.signal);
  }

  async #serve(query: Query, ctx: CallContext, stream: StreamedText | undefined): Promise<Answer> {
    const { clock } = this.#deps;
    const startedAt = clock.now();
    const config = this.#deps.config();
    let requestId = "";
    let scope: TenantScope | undefined;
    let valid: ValidQuery | undefined;
    try {
      requestId = resolveRequestId(query.requestId, this.#deps.newId);
      valid = validateQuery(query, config, this.#deps.schemas);
      scope = bindTenant(query, ctx.identity);
      const tenant = this.#deps.tenantLimits && config.tenancy.tenants[scope.tenant];
      if (tenant) valid = capToTenant(query, valid, tenant);
      // Reserved here, after validation, because only now is the effective max_tokens known (the
      // query's, or the task default capped by the tenant); the edge cannot know it.
      const reservation = tenant ? await this.#deps.tenantLimits!.reserve(tenant, policyQueryOf(valid)) : undefined;
      // Tokens of the ensemble run this request made itself; 0 when it made none (a cache hit, an
      // answer shared by an identical query or replayed for its request_id) or the run failed.
      let usedTokens = 0;
      let answer: Answer;
      try {
        const memo: MemoContext = {
          requestId,
          clientRequestId: query.requestId !== "",
          query,
          valid,
          scope,
          config,
          signal: ctx.signal,
        };
        const run = async () => {
          const ran = await this.#run(memo, ctx, startedAt, stream);
          usedTokens = totalTokens(ran);
          return ran;
        };
        const cached = () => (this.#deps.cache ? this.#deps.cache.through(memo, run) : run());
        answer = await (this.#deps.idempotency && memo.clientRequestId ? this.#deps.idempotency.once(memo, cached) : cached());
      } finally {
        // The one place the reservation is settled: success, error, cancel or cache hit alike.
        reservation?.settle(usedTokens);
      }
      stream?.complete(answer);
      this.#report({ requestId, scope, valid, startedAt, answer, ctx, stream, logPrompt: config.server.log_prompts ? query.prompt : undefined });
      return answer;
    } catch (thrown) {
      const error = PoolError.from(thrown);
      if (requestId) error.withRequestId(requestId);
      this.#report({ requestId: error.requestId ?? requestId, scope, valid, startedAt, error, query, ctx, stream, logPrompt: config.server.log_prompts ? query.prompt : undefined });
      throw error;
    }
  }

  async #run(memo: MemoContext, ctx: CallContext, startedAt: number, stream: StreamedText | undefined): Promise<Answer> {
    const { clock } = this.#deps;
    const { requestId, scope, valid, config } = memo;
    const budgetMs = effectiveDeadlineMs(valid.deadlineMs, valid.task.deadline_ms, ctx.transportTimeoutMs);
    // Leave a margin so the answer leaves the pool before the client gives up.
    const engineBudgetMs = Math.max(1, budgetMs - config.qos.deadline_margin_ms);
    const deadline = new Deadline(clock, startedAt + engineBudgetMs, ctx.signal);
    try {
      const rendered = renderPrompt(valid.task, valid.prompt, valid.inputJson);
      const providers = this.#deps.providers.forTask(config, valid.task);
      if (providers.length === 0) throw new NoProviderError(valid.task.name, this.#deps.providers.unavailable?.(config, valid.task) ?? []);
      const outcome = await this.#deps.ensemble.run({
        requestId,
        task: valid.task.name,
        strategy: valid.strategy,
        providers,
        request: {
          task: valid.task.name,
          ...rendered,
          maxTokens: valid.maxTokens,
          temperature: valid.task.temperature,
          seed: valid.task.seed,
          output: valid.output,
          deadlineAt: deadline.at,
          // A saturated engine serves tenants by fair share, and a tenant's urgent tasks first (R-QOS-5).
          tenant: scope.tenant,
          priority: valid.task.priority,
        },
        deadline,
        clock,
        startedAt,
        hedgeAfterMs: valid.task.hedge_after_ms,
        ensemble: ensembleSettingsFrom(config, valid.task, {
          maxParallel: config.tenancy.tenants[scope.tenant]?.max_parallel_providers,
        }),
        ...(stream && { stream }),
      });
      return buildAnswer({ requestId, scope, query: valid, outcome, durationMs: clock.now() - startedAt });
    } finally {
      deadline.dispose();
    }
  }

  health(): HealthResponse {
    const config = this.#deps.config();
    const providers = this.#deps.providers.health(config);
    return create(HealthResponseSchema, {
      status: this.readiness().ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING,
      providers: providers.map((p) => ({
        name: p.name,
        driver: p.driver,
        model: p.model,
        state: providerState[p.state],
        lastError: p.lastError.slice(0, 256),
        updatedUnixMs: BigInt(p.updatedAt),
      })),
      configVersion: config.version,
    });
  }

  /**
   * Ready while the pool can answer some query: some enabled task has a
   * provider that is not unhealthy, and every dependency the config needs
   * answers. The reasons name what is down, for authenticated callers.
   */
  readiness(): Readiness {
    const config = this.#deps.config();
    const reasons: string[] = [];
    const unhealthy = new Set(this.#deps.providers.health(config).filter((p) => p.state === "unhealthy").map((p) => p.name));
    const enabled = Object.values(config.tasks).filter((t) => t.enabled && t.providers.length + t.fallback_providers.length > 0);
    const servable = enabled.filter((t) => [...t.providers, ...t.fallback_providers].some((p) => !unhealthy.has(p)));
    if (servable.length === 0) {
      reasons.push(`no task can be answered: every provider of every enabled task is unhealthy (${[...unhealthy].join(", ") || "none configured"})`);
    }
    for (const check of this.#deps.dependencies ?? []) {
      const reason = check();
      if (reason) reasons.push(reason);
    }
    return { ready: reasons.length === 0, reasons };
  }

  #report(r: {
    requestId: string;
    scope: TenantScope | undefined;
    valid: ValidQuery | undefined;
    startedAt: number;
    answer?: Answer;
    error?: PoolError;
    query?: Query;
    ctx: CallContext;
    stream: StreamedText | undefined;
    logPrompt: string | undefined;
  }): void {
    const observer = this.#deps.observer;
    if (!observer) return;
    observer.onInfer({
      requestId: r.requestId,
      tenant: r.scope?.tenant ?? "",
      project: r.scope?.project ?? "",
      task: r.valid?.task.name ?? (r.query ? (taskName(r.query.task) ?? "unknown") : "unknown"),
      strategy: r.valid?.strategy ?? "unknown",
      strategyApplied: r.answer ? (strategyName(r.answer.strategyApplied) ?? "") : "",
      winnerProvider: r.answer?.winnerProvider ?? "",
      winnerModel: r.answer?.winnerModel ?? "",
      durationMs: this.#deps.clock.now() - r.startedAt,
      fromCache: r.answer?.fromCache ?? false,
      outcome: r.error ? r.error.code : "ok",
      ...(r.error ? { error: r.error } : {}),
      ...(r.logPrompt === undefined ? {} : { prompt: r.logPrompt }),
      ...(r.ctx.entry ? { entry: r.ctx.entry } : {}),
      streamed: r.stream !== undefined,
      ...(r.stream?.firstTextAt === undefined ? {} : { firstTokenMs: r.stream.firstTextAt - r.startedAt }),
    });
  }
}

/**
 * Task defaults the client did not choose are lowered to the tenant's caps;
 * values the client chose are left for the tenant's policy to check.
 */
function capToTenant(query: Query, valid: ValidQuery, tenant: TenantConfig): ValidQuery {
  return {
    ...valid,
    maxTokens: query.maxTokens === 0 ? Math.min(valid.maxTokens, tenant.max_tokens) : valid.maxTokens,
    deadlineMs: query.deadlineMs === 0 ? Math.min(valid.deadlineMs, tenant.max_deadline_ms) : valid.deadlineMs,
  };
}

function policyQueryOf(valid: ValidQuery): PolicyQuery {
  return { task: valid.task.name, strategy: valid.strategy, maxTokens: valid.maxTokens, deadlineMs: valid.deadlineMs };
}

/** Prompt plus completion tokens of every candidate and the judge: what the daily quota counts. */
function totalTokens(answer: Answer): number {
  return (answer.totalUsage?.promptTokens ?? 0) + (answer.totalUsage?.completionTokens ?? 0);
}

const providerState: Record<ProviderStateName, ProviderState> = {
  unknown: ProviderState.UNSPECIFIED,
  healthy: ProviderState.HEALTHY,
  degraded: ProviderState.DEGRADED,
  unhealthy: ProviderState.UNHEALTHY,
};
