import type { Answer, Query } from "@llm-pool/contract";
import { PoolError, strategyName, taskName, type CallContext } from "@llm-pool/core";
import type { Tracing } from "@llm-pool/telemetry";
import type { EdgeService } from "./infer-stream.js";

export interface ObservedServiceDeps {
  readonly tracing: Tracing;
  /** Counts an Infer call in flight; the returned function ends it (llmpool_infer_in_flight). */
  readonly inferStarted: () => () => void;
}

/**
 * The service the edges call, with each Infer call counted in flight and
 * traced: one request span, continued from the client's `traceparent`
 * (R-OBS-3), inside which the ensemble's provider calls open their own
 * spans. The prompt goes into the span only with `[tracing] include_prompts`.
 */
export function observedService(service: EdgeService, deps: ObservedServiceDeps): EdgeService {
  const { tracing } = deps;
  const observed: EdgeService = {
    health: () => service.health(),
    readiness: () => service.readiness(),
    infer(query: Query, ctx: CallContext): Promise<Answer> {
      const done = deps.inferStarted();
      const carrier = { ...(ctx.traceparent && { traceparent: ctx.traceparent }), ...(ctx.tracestate && { tracestate: ctx.tracestate }) };
      return tracing
        .inRequest("llmpool.infer", carrier, requestAttributes(query, ctx, tracing.includePrompts), async (end) => {
          try {
            const answer = await service.infer(query, ctx);
            end({ attributes: answerAttributes(answer) });
            return answer;
          } catch (error) {
            const code = PoolError.from(error).code;
            end({ attributes: { "llmpool.outcome": code }, error: code });
            throw error;
          }
        })
        .finally(done);
    },
  };
  // Streams are counted but not traced: a generator's steps run in its consumer's context.
  if (service.inferStream) {
    const stream = service.inferStream.bind(service);
    observed.inferStream = async function* inferStream(query, ctx) {
      const done = deps.inferStarted();
      try {
        yield* stream(query, ctx);
      } finally {
        done();
      }
    };
  }
  return observed;
}

function requestAttributes(query: Query, ctx: CallContext, includePrompt: boolean): Record<string, string> {
  return {
    "llmpool.task": taskName(query.task) ?? "unknown",
    "llmpool.strategy": strategyName(query.strategy) ?? "default",
    ...(ctx.identity ? { "llmpool.tenant": ctx.identity.tenantId } : {}),
    ...(includePrompt ? { "llmpool.prompt": query.prompt } : {}),
  };
}

function answerAttributes(answer: Answer): Record<string, string | boolean> {
  return {
    "llmpool.outcome": "ok",
    "llmpool.request_id": answer.requestId,
    "llmpool.tenant": answer.tenantId,
    "llmpool.project": answer.projectId,
    "llmpool.strategy_applied": strategyName(answer.strategyApplied) ?? "",
    "llmpool.winner_provider": answer.winnerProvider,
    "gen_ai.response.model": answer.winnerModel,
    "llmpool.from_cache": answer.fromCache,
  };
}
