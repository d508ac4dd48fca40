import { create } from "@bufbuild/protobuf";
import {
  AnswerSchema,
  HealthResponseSchema,
  OutputKind,
  ServingStatus,
  Strategy,
  type Answer,
  type HealthResponse,
  type Query,
} from "@llm-pool/contract";
import type { CallContext, Readiness } from "@llm-pool/core";
import type { EdgeService, InferEvent } from "../src/infer-stream.js";

/** One call the fake saw, with what the transport told it. */
export interface SeenCall {
  readonly query: Query;
  readonly ctx: CallContext;
  /** Resolves with the signal's reason once it aborts. */
  readonly aborted: Promise<unknown>;
}

/**
 * A stand-in for the orchestrator: answers a deterministic Answer derived
 * from the Query, or does what the prompt asks ("throw:<code>",
 * "crash", "wait"), and records every call.
 */
export class FakeInferService implements EdgeService {
  readonly calls: SeenCall[] = [];
  ready: Readiness = { ready: true, reasons: [] };
  /** What `infer` does for a query; the default answers. */
  behaviour: (query: Query, ctx: CallContext) => Promise<Answer> = async (query) => answerFor(query);
  /** Set to make the service stream these deltas before the answer. */
  deltas: string[] | undefined;
  inferStream?: EdgeService["inferStream"];

  infer(query: Query, ctx: CallContext): Promise<Answer> {
    this.calls.push({ query, ctx, aborted: abortedWith(ctx.signal) });
    return this.behaviour(query, ctx);
  }

  health(): HealthResponse {
    return create(HealthResponseSchema, {
      status: this.ready.ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING,
      configVersion: "0123456789abcdef",
    });
  }

  readiness(): Readiness {
    return this.ready;
  }

  /** Turns streaming on: the deltas, then the usual answer. */
  streams(deltas: string[]): this {
    this.inferStream = (query, ctx) => this.#stream(query, ctx, deltas);
    return this;
  }

  async *#stream(query: Query, ctx: CallContext, deltas: string[]): AsyncIterable<InferEvent> {
    for (const text of deltas) yield { kind: "delta", provider: "fake-a", text };
    yield { kind: "answer", answer: await this.infer(query, ctx) };
  }
}

/** The Answer every transport must agree on for `query` (R-API-3). */
export function answerFor(query: Query): Answer {
  const requestId = query.requestId || "srv-assigned-1";
  return create(AnswerSchema, {
    requestId,
    tenantId: query.tenantId || "tenant-a",
    projectId: query.projectId || "project-a",
    task: query.task,
    output: `echo:${query.prompt}|${Object.keys(query.meta).sort().join(",")}|${query.maxTokens}`,
    outputKind: query.output?.kind || OutputKind.TEXT,
    winnerProvider: "fake-a",
    winnerModel: "fake:1b",
    strategyRequested: query.strategy || Strategy.FASTEST,
    strategyApplied: Strategy.FASTEST,
    decision: {
      candidates: [{ id: "c1", provider: "fake-a", model: "fake:1b", latencyMs: 12, status: 1, score: 0.75 }],
      winnerId: "c1",
      agreement: 0.5,
    },
    usage: { promptTokens: 7, completionTokens: 11 },
    totalUsage: { promptTokens: 7, completionTokens: 11 },
    durationMs: 12,
  });
}

function abortedWith(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}
