"""Typed errors: one class per machine code of the pool (docs/LLMPOOL_API.md, Errors).

    try:
        client.infer("expand_queries", "jazz")
    except llmpool.RateLimitError as e:
        time.sleep(e.retry_after or 1)
    except llmpool.InvalidArgumentError as e:
        print(e.field, e.message)
"""

from __future__ import annotations


class LlmPoolError(Exception):
    """Every error this package raises."""


class APIError(LlmPoolError):
    """The pool (or, with the local backend, the engine) refused or failed the query."""

    code = "unknown"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str = "",
        request_id: str = "",
        status: int = 0,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{code or self.code}: {message}")
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.request_id = request_id
        self.status = status
        # Seconds the server asked us to wait (Retry-After), when it said.
        self.retry_after = retry_after


class InvalidArgumentError(APIError):
    code = "invalid_argument"


class AuthenticationError(APIError):
    code = "unauthenticated"


class PermissionDeniedError(APIError):
    code = "permission_denied"


class ConflictError(APIError):
    code = "conflict"


class RateLimitError(APIError):
    code = "resource_exhausted"


class PayloadTooLargeError(APIError):
    code = "payload_too_large"


class NotFoundError(APIError):
    code = "not_found"


class CanceledError(APIError):
    code = "canceled"


class UnavailableError(APIError):
    code = "unavailable"


class DeadlineExceededError(APIError):
    code = "deadline_exceeded"


class InternalError(APIError):
    code = "internal"


class APIConnectionError(LlmPoolError):
    """No HTTP answer: refused connection, reset, DNS failure."""


class APITimeoutError(APIConnectionError):
    """The client's own timeout passed before an answer arrived."""


_BY_CODE = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        AuthenticationError,
        PermissionDeniedError,
        ConflictError,
        RateLimitError,
        PayloadTooLargeError,
        NotFoundError,
        CanceledError,
        UnavailableError,
        DeadlineExceededError,
        InternalError,
    )
}

_CODE_BY_STATUS = {
    400: "invalid_argument",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "not_found",
    409: "conflict",
    413: "payload_too_large",
    429: "resource_exhausted",
    499: "canceled",
    503: "unavailable",
    504: "deadline_exceeded",
}


def error_for(
    status: int, code: str, message: str, *, field: str = "", request_id: str = "", retry_after: float | None = None
) -> APIError:
    """The typed error for a machine code (or, when the body had none, the HTTP status)."""
    code = code or _CODE_BY_STATUS.get(status, "internal")
    cls = _BY_CODE.get(code, APIError)
    return cls(message, code=code, field=field, request_id=request_id, status=status, retry_after=retry_after)
