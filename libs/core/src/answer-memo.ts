import type { ConfigSnapshot } from "@llm-pool/config";
import type { Answer, Query } from "@llm-pool/contract";
import type { TenantScope } from "./tenant-binding.js";
import type { ValidQuery } from "./validate-query.js";

/** What the cache and idempotency stages know about one validated query. */
export interface MemoContext {
  readonly requestId: string;
  /** True when the client chose the request_id (only those are idempotency keys). */
  readonly clientRequestId: boolean;
  readonly query: Query;
  readonly valid: ValidQuery;
  readonly scope: TenantScope;
  /** The snapshot the request holds (TTLs, cache settings). */
  readonly config: ConfigSnapshot;
  readonly signal: AbortSignal;
}

/**
 * The answer cache stage (R-CACHE-1, R-CACHE-3): returns a cached Answer
 * (with `from_cache` set), or runs `compute` — once for identical concurrent
 * misses — and stores a good result. A cache outage degrades to a miss.
 */
export interface AnswerCache {
  through(ctx: MemoContext, compute: () => Promise<Answer>): Promise<Answer>;
}

/**
 * The idempotency stage (R-CACHE-2): per client request_id, the first call
 * runs `compute`; a concurrent duplicate waits for it; a finished one replays
 * the stored Answer byte for byte; the same id with a different query is
 * refused with Code.Conflict. Failures are not stored.
 */
export interface IdempotencyGuard {
  once(ctx: MemoContext, compute: () => Promise<Answer>): Promise<Answer>;
}
