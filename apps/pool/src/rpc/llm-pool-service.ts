import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { LlmPoolService, type InferStreamResponseSchema, type Query } from "@llm-pool/contract";
import { invalidArgument, progressMessage } from "@llm-pool/core";
import { inferEvents, type EdgeService } from "../infer-stream.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { callContextOf } from "./call-context.js";
import { toConnectError } from "./errors.js";

type StreamMessage = MessageInitShape<typeof InferStreamResponseSchema>;

/**
 * vvtv.llmpool.v1.LlmPoolService over gRPC, gRPC-Web and Connect: unwraps
 * the Query, calls the service, wraps the Answer. Nothing else happens here.
 */
export function registerLlmPoolService(router: ConnectRouter, service: EdgeService, logger: EdgeLogger): void {
  router.service(LlmPoolService, {
    async infer(request, ctx) {
      try {
        const answer = await service.infer(requireQuery(request.query), callContextOf(ctx));
        ctx.responseHeader.set(REQUEST_ID_HEADER, answer.requestId);
        return { answer };
      } catch (error) {
        throw toConnectError(error, logger, request.query?.requestId);
      }
    },

    async *inferStream(request, ctx) {
      try {
        yield* streamAnswer(service, requireQuery(request.query), ctx);
      } catch (error) {
        throw toConnectError(error, logger, request.query?.requestId);
      }
    },

    health() {
      try {
        return service.health();
      } catch (error) {
        throw toConnectError(error, logger);
      }
    },
  });
}

/**
 * Deltas and progress as the service produces them, then the answer
 * (R-API-6); a service that cannot stream sends its answer alone.
 */
async function* streamAnswer(service: EdgeService, query: Query, ctx: HandlerContext): AsyncGenerator<StreamMessage> {
  if (query.requestId) ctx.responseHeader.set(REQUEST_ID_HEADER, query.requestId);
  let sent = false;
  for await (const event of inferEvents(service, query, callContextOf(ctx))) {
    if (event.kind === "progress") {
      yield { event: { case: "progress", value: progressMessage(event.progress) } };
    } else if (event.kind === "delta") {
      yield { event: { case: "delta", value: { provider: event.provider, text: event.text } } };
    } else {
      // Headers leave with the first message: an answer first still sets the id there; after deltas it rides in the trailer.
      if (!query.requestId) (sent ? ctx.responseTrailer : ctx.responseHeader).set(REQUEST_ID_HEADER, event.answer.requestId);
      yield { event: { case: "answer", value: event.answer } };
    }
    sent = true;
  }
}

function requireQuery(query: Query | undefined): Query {
  if (!query) throw invalidArgument("query", "is required");
  return query;
}
