import { Code, PoolError, type CallEnd, type ClassifiedFailure } from "@llm-pool/core";

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
  /** How the call ended, when the kind alone does not say (a timeout the engine is to blame for). */
  readonly callEnd?: CallEnd;
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
 * The class of a call's end as the kind alone tells it (R-QOS-4). A timeout is
 * the caller's until the provider shows the engine had far more than its
 * typical time (PooledProvider then says engine_slow). An engine's 429 is
 * load, not a fault; a 4xx other than 404/429 is a problem with one request.
 */
function callEndOf(kind: ProviderErrorKind, status: number | undefined): CallEnd {
  switch (kind) {
    case "timeout":
    case "cancelled":
      return "caller_gave_up";
    case "rate_limited":
    case "saturated":
      return "overload";
    case "http_status":
      return status === undefined || status >= 500 ? "engine_fault" : "caller_rejected";
    default:
      return "engine_fault";
  }
}

/**
 * ProviderError is the one error a provider call rejects with. It is a PoolError
 * (deadline -> DeadlineExceeded, cancel -> Canceled, everything else ->
 * Unavailable), so edges that know nothing about providers still map it.
 */
export class ProviderError extends PoolError implements ClassifiedFailure {
  readonly kind: ProviderErrorKind;
  /** How the call ended: only engine_fault and engine_slow count toward breakers and health. */
  readonly callEnd: CallEnd;
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
    this.callEnd = options.callEnd ?? callEndOf(kind, options.status);
  }

  /** Whether breakers and health count this call against the provider (R-QOS-4). */
  get countsAsFailure(): boolean {
    return this.callEnd === "engine_fault" || this.callEnd === "engine_slow";
  }

  /** The same error, classed otherwise and (when given) told otherwise; the cause is kept. */
  reclassified(callEnd: CallEnd, message?: string): ProviderError {
    const text = message ?? this.message.slice(this.provider.length + 2);
    return new ProviderError(this.provider, this.kind, text, {
      callEnd,
      cause: this.cause,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    });
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
