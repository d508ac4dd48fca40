"""When and how long to wait before trying a query again.

Retried: `unavailable` and `resource_exhausted` (429, honouring Retry-After).
Retried only when the query carries a request_id, so the pool's idempotency
store makes a repeat safe: `deadline_exceeded` and connection failures (the
first attempt may have run). Never retried: everything else — a bad
argument, bad credentials or a conflict will not get better by waiting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from .errors import APIConnectionError, APIError, LlmPoolError

_ALWAYS = frozenset({"unavailable", "resource_exhausted"})
_IF_IDEMPOTENT = frozenset({"deadline_exceeded"})


@dataclass(frozen=True)
class RetryPolicy:
    """`max_retries` extra attempts; exponential backoff from `initial_delay` up to `max_delay`
    with up to 25 % jitter; a Retry-After above `max_retry_after` seconds is not waited for."""

    max_retries: int = 2
    initial_delay: float = 0.25
    max_delay: float = 2.0
    max_retry_after: float = 5.0
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries: must be 0 or more")
        if self.initial_delay < 0 or self.max_delay < self.initial_delay:
            raise ValueError("initial_delay, max_delay: need 0 <= initial_delay <= max_delay")

    def delay_before_retry(self, error: LlmPoolError, attempt: int, idempotent: bool) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up and raise `error`."""
        if attempt >= self.max_retries or not retryable(error, idempotent):
            return None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        backoff = min(self.max_delay, self.initial_delay * 2**attempt)
        return backoff * (1 - 0.25 * self.random())


def retryable(error: LlmPoolError, idempotent: bool) -> bool:
    if isinstance(error, APIError):
        return error.code in _ALWAYS or (idempotent and error.code in _IF_IDEMPOTENT)
    return idempotent and isinstance(error, APIConnectionError)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the pool sends whole seconds); None when absent or not a number."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
