import type { Answer } from "@llm-pool/contract";
import type { Admission } from "@llm-pool/security";
import type { EdgeService } from "../infer-stream.js";
import type { EdgeLogger } from "../logger.js";

/**
 * The service with each answer's reported tokens (total_usage, every
 * candidate and the judge) added to the caller's daily quota (R-SEC-6).
 * Cached answers cost no engine tokens and are not counted.
 */
export function meteredService(service: EdgeService, admission: Admission, logger: EdgeLogger): EdgeService {
  const record = (tenantId: string | undefined, answer: Answer) => {
    if (!tenantId || answer.fromCache) return;
    const tokens = (answer.totalUsage?.promptTokens ?? 0) + (answer.totalUsage?.completionTokens ?? 0);
    // Counting must never fail the answer it counts.
    admission.recordUsage(tenantId, tokens).catch((error: unknown) => logger.warn({ err: error, tenant: tenantId }, "could not record token usage"));
  };
  const metered: EdgeService = {
    health: () => service.health(),
    readiness: () => service.readiness(),
    async infer(query, ctx) {
      const answer = await service.infer(query, ctx);
      record(ctx.identity?.tenantId, answer);
      return answer;
    },
  };
  const stream = service.inferStream?.bind(service);
  if (stream) {
    metered.inferStream = async function* (query, ctx) {
      for await (const event of stream(query, ctx)) {
        if (event.kind === "answer") record(ctx.identity?.tenantId, event.answer);
        yield event;
      }
    };
  }
  return metered;
}
