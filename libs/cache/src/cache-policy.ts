import type { Answer } from "@llm-pool/contract";
import { checkOutput, type MemoContext } from "@llm-pool/core";
import type { CacheBypass } from "./cache-observer.js";

/** The `meta` entry a client sets to skip the cache for one query: `cache=no-store`. */
export const NO_STORE_META_KEY = "cache";
export const NO_STORE_META_VALUE = "no-store";

/** Why this query does not use the cache, or undefined when it does. */
export function cacheBypass({ config, valid, query }: Pick<MemoContext, "config" | "valid" | "query">): CacheBypass | undefined {
  if (!config.cache.enabled) return "disabled";
  if (valid.task.cache_ttl_ms <= 0) return "task_off";
  const directives = (query.meta[NO_STORE_META_KEY] ?? "").split(",").map((d) => d.trim().toLowerCase());
  if (directives.includes(NO_STORE_META_VALUE)) return "no_store";
  return undefined;
}

/**
 * Only good answers are stored (R-CACHE-1): a winner with output that passes
 * the output check, reached without a fallback. A fallback means the
 * ensemble could not decide the way the task asked (judge late, no quorum);
 * pinning that answer for a whole TTL would hide the recovery.
 */
export function isCacheable(answer: Answer, ctx: Pick<MemoContext, "valid">): boolean {
  if (answer.fromCache || answer.winnerProvider === "" || answer.output === "") return false;
  if ((answer.decision?.fallbacks.length ?? 0) > 0) return false;
  return checkOutput(answer.output, ctx.valid.output).ok;
}
