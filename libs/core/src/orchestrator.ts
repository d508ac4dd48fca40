import { create } from "@bufbuild/protobuf";
import type { ConfigSnapshot, StrategyName, TaskName, TenantConfig } from "@llm-pool/config";
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
import type { CallContext, InferService, Readiness } from "./infer-service.js";
import { PoolError } from "./pool-error.js";
import { renderPrompt } from "./prompt-render.js";
import type { ProviderSource, ProviderStateName } from "./provider-source.js";
import { resolveRequestId } from "./request-id.js";
import type { SchemaCompiler } from "./schema-compiler.js";
import { bindTenant, type TenantScope } from "./tenant-binding.js";
import { strategyName, taskName } from "./task.js";
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
}

export interface InferObserver {
  onInfer(record: InferRecord): void;
}

export interface OrchestratorDeps {
  /** The config snapshot in force; each query holds the one it began with. */
  readonly config: () => ConfigSnapshot;
  readonly providers: ProviderSource;
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
  /** The tenant's cost policy (R-SEC-6); throws a PoolError to refuse. */
  readonly policy?: TenantPolicy;
  /**
   * Told the tokens of every ensemble run that produced an answer (candidates
   * and judge), for daily quotas. Cache hits, shared answers and idempotent
   * replays ran no engine and are not reported.
   */
  readonly usage?: (scope: TenantScope, tokens: number) => void;
}

/** What the policy stage sees of a validated query, task defaults applied. */
export interface PolicyQuery {
  readonly task: TaskName;
  readonly strategy: StrategyName;
  readonly maxTokens: number;
  readonly deadlineMs: number;
}

export type TenantPolicy = (tenant: TenantConfig, query: PolicyQuery) => unknown;

/**
 * The pipeline behind every transport: validate -> bind tenant -> plan ->
 * ensemble -> answer. It throws only PoolError, tagged with the request id.
 */
export class Orchestrator implements InferService {
  readonly #deps: OrchestratorDeps;

  constructor(deps: OrchestratorDeps) {
    this.#deps = deps;
  }

  async infer(query: Query, ctx: CallContext): Promise<Answer> {
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
      valid = this.#applyPolicy(query, valid, config.tenancy.tenants[scope.tenant]);
      const memo: MemoContext = {
        requestId,
        clientRequestId: query.requestId !== "",
        query,
        valid,
        scope,
        config,
        signal: ctx.signal,
      };
      const run = () => this.#run(memo, ctx, startedAt);
      const cached = () => (this.#deps.cache ? this.#deps.cache.through(memo, run) : run());
      const answer = await (this.#deps.idempotency && memo.clientRequestId
        ? this.#deps.idempotency.once(memo, cached)
        : cached());
      this.#report({ requestId, scope, valid, startedAt, answer });
      return answer;
    } catch (thrown) {
      const error = PoolError.from(thrown);
      if (requestId) error.withRequestId(requestId);
      this.#report({ requestId: error.requestId ?? requestId, scope, valid, startedAt, error, query });
      throw error;
    }
  }

  async #run(memo: MemoContext, ctx: CallContext, startedAt: number): Promise<Answer> {
    const { clock } = this.#deps;
    const { requestId, scope, valid, config } = memo;
    const budgetMs = effectiveDeadlineMs(valid.deadlineMs, valid.task.deadline_ms, ctx.transportTimeoutMs);
    // Leave a margin so the answer leaves the pool before the client gives up.
    const engineBudgetMs = Math.max(1, budgetMs - config.qos.deadline_margin_ms);
    const deadline = new Deadline(clock, startedAt + engineBudgetMs, ctx.signal);
    try {
      const rendered = renderPrompt(valid.task, valid.prompt, valid.inputJson);
      const outcome = await this.#deps.ensemble.run({
        requestId,
        task: valid.task.name,
        strategy: valid.strategy,
        providers: this.#deps.providers.forTask(config, valid.task),
        request: {
          task: valid.task.name,
          ...rendered,
          maxTokens: valid.maxTokens,
          temperature: valid.task.temperature,
          seed: valid.task.seed,
          output: valid.output,
          deadlineAt: deadline.at,
        },
        deadline,
        clock,
        startedAt,
        hedgeAfterMs: valid.task.hedge_after_ms,
        ensemble: ensembleSettingsFrom(config, valid.task, {
          maxParallel: config.tenancy.tenants[scope.tenant]?.max_parallel_providers,
        }),
      });
      const answer = buildAnswer({ requestId, scope, query: valid, outcome, durationMs: clock.now() - startedAt });
      this.#deps.usage?.(scope, (answer.totalUsage?.promptTokens ?? 0) + (answer.totalUsage?.completionTokens ?? 0));
      return answer;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Task defaults the client did not choose are lowered to the tenant's caps;
   * values the client chose are checked against them by the policy.
   */
  #applyPolicy(query: Query, valid: ValidQuery, tenant: TenantConfig | undefined): ValidQuery {
    if (!tenant || !this.#deps.policy) return valid;
    const capped: ValidQuery = {
      ...valid,
      maxTokens: query.maxTokens === 0 ? Math.min(valid.maxTokens, tenant.max_tokens) : valid.maxTokens,
      deadlineMs: query.deadlineMs === 0 ? Math.min(valid.deadlineMs, tenant.max_deadline_ms) : valid.deadlineMs,
    };
    this.#deps.policy(tenant, {
      task: capped.task.name,
      strategy: capped.strategy,
      maxTokens: capped.maxTokens,
      deadlineMs: capped.deadlineMs,
    });
    return capped;
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

  readiness(): Readiness {
    const config = this.#deps.config();
    const usable = this.#deps.providers.health(config).filter((p) => p.state !== "unhealthy");
    return usable.length > 0
      ? { ready: true, reasons: [] }
      : { ready: false, reasons: ["no provider is usable: every configured provider is unhealthy"] };
  }

  #report(r: {
    requestId: string;
    scope: TenantScope | undefined;
    valid: ValidQuery | undefined;
    startedAt: number;
    answer?: Answer;
    error?: PoolError;
    query?: Query;
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
    });
  }
}

const providerState: Record<ProviderStateName, ProviderState> = {
  unknown: ProviderState.UNSPECIFIED,
  healthy: ProviderState.HEALTHY,
  degraded: ProviderState.DEGRADED,
  unhealthy: ProviderState.UNHEALTHY,
};
