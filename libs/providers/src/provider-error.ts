import { Code, PoolError } from "@llm-pool/core";

/**
 * What went wrong on one engine call, in the vocabulary the circuit breaker and
 * the ensemble use. The wire-level detail stays in `cause`; the message is short
 * and never carries prompt text, engine bodies or secrets.
 */
export type ProviderErrorKind =
  /** The call's deadline (or the provider's `timeout_ms`) passed. */
  | "timeout"
  /** The caller gave up: a lost hedge, a client that went away. */
  | "cancelled"
  /** The engine answered with a non-2xx status not covered below. */
  | "http_status"
  /** HTTP 429; `retryAfterMs` holds Retry-After when the engine sent one. */
  | "rate_limited"
  /** The body is not JSON, or lacks the fields the driver reads. */
  | "malformed"
  /** The body ended before its announced length. */
  | "truncated"
  /** No response at all: refused, reset, DNS, TLS. */
  | "connection"
  /** The engine does not have the configured model (HTTP 404 or its equivalent). */
  | "model_missing"
  /** The engine answered, but not in the requested output format (raised by callers that check it). */
  | "invalid_output"
  /** The engine's slot queue cannot serve the call before its deadline; refused without waiting. */
  | "saturated"
  /** An in-process engine (embedded) failed in another way. */
  | "engine";

export interface ProviderErrorOptions {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

const codeOf: Record<ProviderErrorKind, Code> = {
  timeout: Code.DeadlineExceeded,
  cancelled: Code.Canceled,
  http_status: Code.Unavailable,
  rate_limited: Code.Unavailable,
  malformed: Code.Unavailable,
  truncated: Code.Unavailable,
  connection: Code.Unavailable,
  model_missing: Code.Unavailable,
  invalid_output: Code.Unavailable,
  saturated: Code.Unavailable,
  engine: Code.Unavailable,
};

/**
 * ProviderError is the one error a provider call rejects with. It is a PoolError
 * (deadline -> DeadlineExceeded, cancel -> Canceled, everything else ->
 * Unavailable), so edges that know nothing about providers still map it.
 */
export class ProviderError extends PoolError {
  readonly kind: ProviderErrorKind;
  /** The provider's config name. */
  readonly provider: string;
  /** The HTTP status the engine answered with, when it answered. */
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(provider: string, kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    super(codeOf[kind], `${provider}: ${message}`, options.cause === undefined ? {} : { cause: options.cause });
    this.provider = provider;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * Whether the breaker counts this call as a failure of the provider. A
   * cancelled call says nothing about the engine, a saturated queue is our
   * own refusal, and a 4xx other than 404/429 is a problem with one request.
   */
  get countsAsFailure(): boolean {
    switch (this.kind) {
      case "cancelled":
      case "saturated":
        return false;
      case "http_status":
        return this.status === undefined || this.status >= 500;
      default:
        return true;
    }
  }

  /**
   * Turns anything a call threw into a ProviderError. `signal` is the call's
   * signal: once it has aborted, whatever the transport threw is reported as
   * the abort (a deadline is a timeout, anything else a cancel).
   */
  static override from(reason: unknown, provider = "provider", signal?: AbortSignal): ProviderError {
    if (reason instanceof ProviderError) return reason;
    if (signal?.aborted) return ProviderError.fromAbort(provider, signal.reason);
    if (reason instanceof PoolError) {
      if (reason.code === Code.DeadlineExceeded || reason.code === Code.Canceled) return ProviderError.fromAbort(provider, reason);
    }
    if (reason instanceof Error && (reason.name === "AbortError" || reason.name === "TimeoutError")) {
      return ProviderError.fromAbort(provider, reason);
    }
    return new ProviderError(provider, "engine", "the engine call failed", { cause: reason });
  }

  /** The error for a call whose signal aborted with `reason`. */
  static fromAbort(provider: string, reason: unknown): ProviderError {
    const deadline =
      (reason instanceof PoolError && reason.code === Code.DeadlineExceeded) ||
      (reason instanceof Error && reason.name === "TimeoutError");
    return deadline
      ? new ProviderError(provider, "timeout", "deadline exceeded before the engine answered", { cause: reason })
      : new ProviderError(provider, "cancelled", "the call was cancelled", { cause: reason });
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}
