"""llm-pool Python SDK: `Client` and `AsyncClient` with HMAC or JWT auth, retries and typed errors.

`pb` is the generated protobuf module of `vvtv.llmpool.v1` (Query, Answer, Task, Strategy, ...).
The generated tree under `gen/` has no `__init__.py` files: it is imported as implicit namespace
packages, so regenerating it with buf's `clean: true` loses nothing.
"""

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

from .auth import BearerToken
from .client import AsyncClient, Client
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CanceledError,
    ConflictError,
    DeadlineExceededError,
    InternalError,
    InvalidArgumentError,
    LlmPoolError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnavailableError,
)
from .queries import build_query
from .retries import RetryPolicy
from .signing import HmacCredentials, sign_request

__all__ = [
    "pb",
    "Client",
    "AsyncClient",
    "RetryPolicy",
    "HmacCredentials",
    "BearerToken",
    "sign_request",
    "build_query",
    "LlmPoolError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidArgumentError",
    "AuthenticationError",
    "PermissionDeniedError",
    "ConflictError",
    "RateLimitError",
    "PayloadTooLargeError",
    "NotFoundError",
    "CanceledError",
    "UnavailableError",
    "DeadlineExceededError",
    "InternalError",
]
