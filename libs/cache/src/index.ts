// @llm-pool/cache — the answer cache, idempotency by client request_id and
// coalescing of identical concurrent misses (R-CACHE-1..3).

// For the composition root.
export { createAnswerMemo, type AnswerMemo, type AnswerMemoOptions } from "./create-answer-memo.js";
export type { CacheBypass, CacheObserver, IdempotencyOutcome, MemoStoreName, NotStoredReason } from "./cache-observer.js";
export type { IdempotencyFailureMode } from "./idempotency-guard.js";

// For other libraries and tests: the stages and their stores.
export { StoredAnswerCache, type StoredAnswerCacheOptions } from "./answer-cache.js";
export { StoredIdempotencyGuard, type StoredIdempotencyGuardOptions } from "./idempotency-guard.js";
export type { CacheStore } from "./cache-store.js";
export { MemoryCacheStore, ENTRY_OVERHEAD_BYTES, type EvictionReason, type MemoryCacheStoreOptions } from "./cache-store/memory.js";
export { RedisCacheStore, DEFAULT_CACHE_PREFIX, type RedisCacheStoreOptions } from "./cache-store/redis.js";
export type { IdempotencyStore, LeaseRequest, LeaseResult, LeaseView } from "./idempotency-store.js";
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "./idempotency-store/memory.js";
export { RedisIdempotencyStore, DEFAULT_IDEMPOTENCY_PREFIX, type RedisIdempotencyStoreOptions } from "./idempotency-store/redis.js";
export { answerCacheKey, answerKeyMaterial, idempotencyKey, queryFingerprint, KEY_VERSION, type AnswerKeyOptions } from "./answer-key.js";
export { cacheBypass, isCacheable, NO_STORE_META_KEY, NO_STORE_META_VALUE } from "./cache-policy.js";
export { sortedKeyJson } from "./sorted-key-json.js";
