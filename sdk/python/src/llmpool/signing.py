"""HMAC request signing (LLMPOOL-HMAC-SHA256-V1), written from docs/SECURITY.md.

`sign_request` returns the four headers a request needs. Every call draws a
fresh nonce, so a retried request is a new, separately signed request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Callable, Mapping
from urllib.parse import unquote_to_bytes

SCHEME = "LLMPOOL-HMAC-SHA256-V1"

# RFC 3986 unreserved characters: the only bytes left as they are.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def canonical_query(raw_query: str) -> str:
    """The query string in its signed form: decoded, re-encoded per RFC 3986, sorted."""
    pairs = []
    for piece in raw_query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((_encode(_decode(name)), _encode(_decode(value))))
    pairs.sort(key=lambda pair: (pair[0].encode(), pair[1].encode()))
    return "&".join(f"{name}={value}" for name, value in pairs)


def _decode(text: str) -> bytes:
    # '+' is a literal plus here, not a space; malformed escapes make the request unsignable.
    for i, char in enumerate(text):
        if char == "%" and not _is_hex_pair(text[i + 1 : i + 3]):
            raise ValueError(f"query: malformed percent-encoding in {text!r}")
    return unquote_to_bytes(text)


def _is_hex_pair(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789abcdefABCDEF" for c in text)


def _encode(data: bytes) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in data)


def canonical_content_type(content_type: str) -> str:
    """`Application/JSON; charset=UTF-8` -> `application/json`; empty stays empty."""
    return content_type.split(";", 1)[0].strip().lower()


def string_to_sign(
    *, key_id: str, timestamp: str, nonce: str, method: str, path: str, query: str, content_type: str, body: bytes
) -> str:
    """The nine lines the HMAC covers, joined by LF, without a trailing LF."""
    return "\n".join(
        [
            SCHEME,
            key_id,
            timestamp,
            nonce,
            method.upper(),
            path,
            canonical_query(query),
            canonical_content_type(content_type),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def signature(secret: str, text: str) -> str:
    """`v1=` and the lowercase hex HMAC-SHA256 of `text`, keyed with the secret's UTF-8 bytes."""
    return "v1=" + hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """128 random bits, base64url without padding (22 characters)."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class HmacCredentials:
    """A key id from the pool's config and its secret (at least 32 bytes)."""

    key_id: str
    secret: str

    def __post_init__(self) -> None:
        if not self.key_id:
            raise ValueError("key_id: is required")
        if len(self.secret.encode("utf-8")) < 32:
            raise ValueError("secret: must be at least 32 bytes")

    def __repr__(self) -> str:  # never print the secret
        return f"HmacCredentials(key_id={self.key_id!r}, secret=<hidden>)"


def sign_request(
    credentials: HmacCredentials,
    *,
    method: str,
    path: str,
    query: str = "",
    content_type: str = "",
    body: bytes = b"",
    clock: Callable[[], float] = time.time,
    nonce: str | None = None,
) -> Mapping[str, str]:
    """The four `X-…` headers for one request, signed now with a fresh nonce."""
    timestamp = str(int(clock()))
    nonce = nonce or new_nonce()
    text = string_to_sign(
        key_id=credentials.key_id,
        timestamp=timestamp,
        nonce=nonce,
        method=method,
        path=path,
        query=query,
        content_type=content_type,
        body=body,
    )
    return {
        "X-Api-Key": credentials.key_id,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": signature(credentials.secret, text),
    }
