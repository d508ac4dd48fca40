import type { Answer, Query } from "@llm-pool/contract";
import { PoolError, strategyName, taskName, type CallContext, type InferEvent } from "@llm-pool/core";
import type { RequestSpanEnd, Tracing } from "@llm-pool/telemetry";
import type { EdgeService } from "./infer-stream.js";

export interface ObservedServiceDeps {
  readonly tracing: Tracing;
  /** Counts an Infer call in flight; the returned function ends it (llmpool_infer_in_flight). */
  readonly inferStarted: () => () => void;
}

/**
 * The service the edges call, with each call counted in flight and traced
 * the same way whichever way it came in, unary or streamed (R-OBS-3): one
 * request span, continued from the client's `traceparent`, inside which the
 * ensemble's provider calls open their own spans. The prompt goes into the
 * span only with `[tracing] include_prompts`. (Metrics and the log line come
 * from the orchestrator's InferRecord, see request-observer.ts.)
 */
export function observedService(service: EdgeService, deps: ObservedServiceDeps): EdgeService {
  const observed: EdgeService = {
    health: () => service.health(),
    readiness: () => service.readiness(),
    async infer(query: Query, ctx: CallContext): Promise<Answer> {
      const call = observeCall(deps, query, ctx, "unary");
      try {
        const answer = await call.span.run(() => service.infer(query, ctx));
        call.answered(answer);
        return answer;
      } catch (error) {
        call.failed(error);
        throw error;
      }
    },
  };
  if (service.inferStream) {
    const stream = service.inferStream.bind(service);
    observed.inferStream = async function* inferStream(query, ctx) {
      const call = observeCall(deps, query, ctx, "stream");
      let events: AsyncIterator<InferEvent> | undefined;
      try {
        // Each step runs in the request span: the one that starts the query makes its provider calls the span's children.
        const opened = call.span.run(() => stream(query, ctx)[Symbol.asyncIterator]());
        events = opened;
        for (;;) {
          const step = await call.span.run(() => opened.next());
          if (step.done) return;
          call.saw(step.value);
          yield step.value;
        }
      } catch (error) {
        call.failed(error);
        throw error;
      } finally {
        // A consumer that stops early (the client went away) closes the service's stream, which cancels the query.
        await events?.return?.();
        call.left();
      }
    };
  }
  return observed;
}

type Mode = "unary" | "stream";

/** One call being observed: its request span and its place among the calls in flight. */
function observeCall(deps: ObservedServiceDeps, query: Query, ctx: CallContext, mode: Mode) {
  const done = deps.inferStarted();
  const carrier = { ...(ctx.traceparent && { traceparent: ctx.traceparent }), ...(ctx.tracestate && { tracestate: ctx.tracestate }) };
  const span = deps.tracing.startRequest("llmpool.infer", carrier, requestAttributes(query, ctx, mode, deps.tracing.includePrompts));
  let firstToken = true;
  const end = (result: RequestSpanEnd) => {
    span.end(result);
    done();
  };
  return {
    span,
    /** A streamed event passing by: the first delta is marked on the span, the answer ends it. */
    saw(event: InferEvent): void {
      if (event.kind === "delta" && firstToken) {
        firstToken = false;
        span.addEvent("llmpool.first_token");
      } else if (event.kind === "answer") {
        end({ attributes: answerAttributes(event.answer) });
      }
    },
    answered(answer: Answer): void {
      end({ attributes: answerAttributes(answer) });
    },
    failed(error: unknown): void {
      const code = PoolError.from(error).code;
      end({ attributes: { "llmpool.outcome": code }, error: code });
    },
    /** The stream is over; a client that left before the answer ends it as canceled. */
    left(): void {
      end({ attributes: { "llmpool.outcome": "canceled" } });
    },
  };
}

function requestAttributes(query: Query, ctx: CallContext, mode: Mode, includePrompt: boolean): Record<string, string> {
  return {
    "llmpool.task": taskName(query.task) ?? "unknown",
    "llmpool.strategy": strategyName(query.strategy) ?? "default",
    "llmpool.api": ctx.entry?.api ?? "unknown",
    "llmpool.transport": ctx.entry?.transport ?? "unknown",
    "llmpool.mode": mode,
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
