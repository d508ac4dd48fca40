import { Code } from "./code.js";

export interface PoolErrorOptions {
  /** The Query field the error is about, in proto (snake_case) spelling. */
  readonly field?: string;
  /** What went wrong underneath; logged, never sent to clients. */
  readonly cause?: unknown;
  /**
   * Response fields the refusal carries (Retry-After, the RateLimit fields): HTTP headers on REST and
   * Connect, metadata on gRPC. Every edge sends them; they must never carry anything secret.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * False for a refusal the pool decides on purpose and often, under load (a saturated engine):
   * its stack says nothing a log reader needs, and capturing one costs more than the decision.
   */
  readonly stack?: boolean;
}

/**
 * PoolError is the one error type of the pool. Its message is safe to show a
 * client: it names the field and the limit, never internals or a stack trace.
 */
export class PoolError extends Error {
  override readonly name = "PoolError";
  readonly code: Code;
  readonly field: string | undefined;
  /** Response headers of the refusal (see PoolErrorOptions.headers); empty for most errors. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request this error answers, once the pool has assigned an id. */
  requestId: string | undefined;

  constructor(code: Code, message: string, options: PoolErrorOptions = {}) {
    const stackFrames = Error.stackTraceLimit;
    if (options.stack === false) Error.stackTraceLimit = 0;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackFrames;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  /** Tags the error with its request id, unless it already has one. */
  withRequestId(requestId: string): this {
    this.requestId ??= requestId;
    return this;
  }

  /**
   * Turns anything thrown into a PoolError. Unknown errors become Internal
   * with a generic message, so nothing from a library reaches a client.
   */
  static from(reason: unknown): PoolError {
    if (reason instanceof PoolError) return reason;
    if (isAbortError(reason)) {
      return new PoolError(Code.Canceled, "the request was cancelled", { cause: reason });
    }
    return new PoolError(Code.Internal, "internal error", { cause: reason });
  }
}

export function invalidArgument(field: string, message: string): PoolError {
  return new PoolError(Code.InvalidArgument, `${field}: ${message}`, { field });
}

function isAbortError(reason: unknown): boolean {
  return reason instanceof Error && (reason.name === "AbortError" || reason.name === "TimeoutError");
}
