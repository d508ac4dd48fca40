"""R-SEC-1 / R-SDK-2: the SDK's own signing (written from docs/SECURITY.md) reproduces every
golden vector of testdata/hmac-vectors.json byte for byte."""

import base64
import hashlib
import json
from pathlib import Path

import pytest

from llmpool import HmacCredentials, sign_request
from llmpool.signing import canonical_content_type, canonical_query, signature, string_to_sign

VECTORS = json.loads((Path(__file__).resolve().parents[3] / "testdata" / "hmac-vectors.json").read_text())["vectors"]


def test_the_vector_file_holds_every_documented_case():
    assert len(VECTORS) == 22


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_reproduces_each_golden_vector_field_by_field(v):
    body = base64.b64decode(v["body_base64"])
    assert canonical_query(v["query"]) == v["canonical_query"]
    assert canonical_content_type(v["content_type"]) == v["canonical_content_type"]
    assert hashlib.sha256(body).hexdigest() == v["body_sha256"]
    text = string_to_sign(
        key_id=v["key_id"], timestamp=v["timestamp"], nonce=v["nonce"], method=v["method"],
        path=v["path"], query=v["query"], content_type=v["content_type"], body=body,
    )  # fmt: skip
    assert text == v["string_to_sign"]
    assert signature(v["secret"], text) == v["signature"]


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_sign_request_gives_the_vector_headers(v):
    headers = sign_request(
        HmacCredentials(v["key_id"], v["secret"]), method=v["method"], path=v["path"], query=v["query"],
        content_type=v["content_type"], body=base64.b64decode(v["body_base64"]),
        clock=lambda: int(v["timestamp"]) + 0.9, nonce=v["nonce"],
    )  # fmt: skip
    assert headers == {"X-Api-Key": v["key_id"], "X-Timestamp": v["timestamp"], "X-Nonce": v["nonce"], "X-Signature": v["signature"]}


def test_every_signature_draws_a_fresh_128_bit_nonce():
    credentials = HmacCredentials("vvtv-a", "s" * 32)
    nonces = {sign_request(credentials, method="POST", path="/v1/infer")["X-Nonce"] for _ in range(50)}
    assert len(nonces) == 50
    assert all(len(n) == 22 for n in nonces)


def test_malformed_percent_encoding_is_unsignable():
    with pytest.raises(ValueError, match="query"):
        canonical_query("a=%zz")


def test_short_secrets_and_missing_key_ids_are_refused_before_any_request():
    with pytest.raises(ValueError, match="secret"):
        HmacCredentials("vvtv-a", "short")
    with pytest.raises(ValueError, match="key_id"):
        HmacCredentials("", "s" * 32)
    assert "s" * 32 not in repr(HmacCredentials("vvtv-a", "s" * 32))
