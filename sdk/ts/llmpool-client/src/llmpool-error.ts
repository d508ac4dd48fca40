import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "./gen/vvtv/llmpool/v1/llmpool_pb.js";

/** The pool's stable machine codes (docs/LLMPOOL_API.md, Errors), plus `connection` for no answer at all. */
export type ErrorCode =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "conflict"
  | "resource_exhausted"
  | "payload_too_large"
  | "not_found"
  | "canceled"
  | "unavailable"
  | "deadline_exceeded"
  | "internal"
  | "connection";

const CODE_OF_RPC: Partial<Record<Code, ErrorCode>> = {
  [Code.InvalidArgument]: "invalid_argument",
  [Code.Unauthenticated]: "unauthenticated",
  [Code.PermissionDenied]: "permission_denied",
  [Code.Aborted]: "conflict",
  [Code.AlreadyExists]: "conflict",
  [Code.ResourceExhausted]: "resource_exhausted",
  [Code.NotFound]: "not_found",
  [Code.Unimplemented]: "not_found",
  [Code.Canceled]: "canceled",
  [Code.Unavailable]: "unavailable",
  [Code.DeadlineExceeded]: "deadline_exceeded",
};

const KNOWN = new Set<string>([...Object.values(CODE_OF_RPC), "payload_too_large", "internal", "connection"]);

/** Every error the client throws: a machine code, the field it is about, and Retry-After when the server sent one. */
export class LlmPoolError extends Error {
  override name = "LlmPoolError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { readonly field?: string; readonly requestId?: string; readonly retryAfterS?: number; readonly cause?: unknown } = {},
  ) {
    super(`${code}: ${message}`, { cause: details.cause });
  }

  get field(): string {
    return this.details.field ?? "";
  }

  get requestId(): string {
    return this.details.requestId ?? "";
  }

  /** Seconds the server asked the client to wait (Retry-After), if it did. */
  get retryAfterS(): number | undefined {
    return this.details.retryAfterS;
  }

  /** Converts what a transport threw; the pool's ErrorDetail, when attached, gives the exact code and field. */
  static from(reason: unknown): LlmPoolError {
    if (reason instanceof LlmPoolError) return reason;
    const error = ConnectError.from(reason);
    const [detail] = error.findDetails(ErrorDetailSchema);
    const retryAfterS = parseRetryAfter(error.metadata.get("retry-after"));
    // A fetch that never got an answer (refused, reset) surfaces as Unknown with the fetch error as its cause.
    const noAnswer = error.code === Code.Unknown && error.cause instanceof TypeError;
    const code = detail && KNOWN.has(detail.code) ? (detail.code as ErrorCode) : noAnswer ? "connection" : (CODE_OF_RPC[error.code] ?? "internal");
    return new LlmPoolError(code, error.rawMessage, {
      field: detail?.field ?? "",
      requestId: detail?.requestId || error.metadata.get("x-request-id") || "",
      ...(retryAfterS === undefined ? {} : { retryAfterS }),
      cause: reason,
    });
  }
}

export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
