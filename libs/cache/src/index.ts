// @llm-pool/cache — the answer cache, idempotency by client request_id and
// coalescing of identical concurrent misses (R-CACHE-1..3).

// For the composition root: both stages, built from `[cache]`.
export { createAnswerMemo } from "./create-answer-memo.js";
