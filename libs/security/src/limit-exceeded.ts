import { Code, PoolError } from "@llm-pool/core";

/**
 * A refusal that tells the client when to come back: 429 resource_exhausted
 * with `headers` (Retry-After and the RateLimit fields), which every edge puts
 * on the HTTP response or into the gRPC metadata.
 */
export class LimitExceededError extends PoolError {
  constructor(message: string, headers: Record<string, string>, cause: string) {
    super(Code.ResourceExhausted, message, { cause: new Error(cause), headers });
  }
}
