"""Credentials a client sends: an HMAC key (signed per request) or a bearer JWT."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Union

from .signing import HmacCredentials, sign_request


@dataclass(frozen=True)
class BearerToken:
    """A JWT sent as `Authorization: Bearer …`; a callable is asked again on every attempt,
    so a token that expires can be refreshed between retries."""

    token: Union[str, Callable[[], str]]

    def headers(self) -> Mapping[str, str]:
        token = self.token() if callable(self.token) else self.token
        if not token:
            raise ValueError("token: is empty")
        return {"Authorization": f"Bearer {token}"}

    def __repr__(self) -> str:
        return "BearerToken(<hidden>)"


Credentials = Union[HmacCredentials, BearerToken, None]


def auth_headers(
    credentials: Credentials, *, method: str, path: str, query: str, content_type: str, body: bytes, clock: Callable[[], float]
) -> Mapping[str, str]:
    """The headers that authenticate one attempt (HMAC: a fresh nonce and signature each time)."""
    if credentials is None:
        return {}
    if isinstance(credentials, BearerToken):
        return credentials.headers()
    return sign_request(credentials, method=method, path=path, query=query, content_type=content_type, body=body, clock=clock)
