import type { LlmPoolError } from "./llmpool-error.js";

/**
 * When and how long to wait before trying a query again. Retried: `unavailable` and
 * `resource_exhausted` (honouring Retry-After). Only when the query has a request_id, so the
 * pool's idempotency makes a repeat safe: `deadline_exceeded` and `connection`. Nothing else.
 */
export interface RetryOptions {
  /** Extra attempts after the first; default 2. */
  readonly maxRetries?: number;
  /** First backoff in ms, doubled each retry; default 250. */
  readonly initialDelayMs?: number;
  /** Largest backoff in ms; default 2000. */
  readonly maxDelayMs?: number;
  /** A Retry-After above this many seconds is not waited for: the error is thrown; default 5. */
  readonly maxRetryAfterS?: number;
  /** Random numbers in [0, 1) for the jitter; default Math.random. */
  readonly random?: () => number;
}

const ALWAYS = new Set(["unavailable", "resource_exhausted"]);
const IF_IDEMPOTENT = new Set(["deadline_exceeded", "connection"]);

export class RetryPolicy {
  readonly maxRetries: number;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterS: number;
  readonly #random: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxRetries = options.maxRetries ?? 2;
    this.#initialDelayMs = options.initialDelayMs ?? 250;
    this.#maxDelayMs = options.maxDelayMs ?? 2000;
    this.#maxRetryAfterS = options.maxRetryAfterS ?? 5;
    this.#random = options.random ?? Math.random;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new TypeError("retry.maxRetries: must be an integer, 0 or more");
    if (!(this.#initialDelayMs >= 0 && this.#maxDelayMs >= this.#initialDelayMs)) {
      throw new TypeError("retry.initialDelayMs, retry.maxDelayMs: need 0 <= initialDelayMs <= maxDelayMs");
    }
  }

  /** Milliseconds to wait before attempt `attempt + 1`, or undefined to give up and throw `error`. */
  delayBeforeRetry(error: LlmPoolError, attempt: number, idempotent: boolean): number | undefined {
    if (attempt >= this.maxRetries) return undefined;
    if (!ALWAYS.has(error.code) && !(idempotent && IF_IDEMPOTENT.has(error.code))) return undefined;
    if (error.retryAfterS !== undefined) return error.retryAfterS <= this.#maxRetryAfterS ? error.retryAfterS * 1000 : undefined;
    const backoff = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** attempt);
    return backoff * (1 - 0.25 * this.#random());
  }
}
