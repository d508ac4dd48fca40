"""The `pool` backend: `POST /v1/infer` on an llm-pool server, JSON Query in, JSON Answer out."""

from __future__ import annotations

import json
import time
from typing import Callable

import httpx
from google.protobuf import json_format

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

from .auth import Credentials, auth_headers
from .errors import APIError, error_for
from .retries import parse_retry_after

INFER_PATH = "/v1/infer"
CONTENT_TYPE = "application/json"


class PoolBackend:
    def __init__(self, base_url: str, credentials: Credentials, clock: Callable[[], float] = time.time) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url: expected an http(s) URL, got {base_url!r}")
        self._url = url.join(INFER_PATH)
        self._credentials = credentials
        self._clock = clock

    def request(self, query: pb.Query, timeout: float) -> httpx.Request:
        """One attempt, signed now: a retry calls this again for a fresh nonce and timestamp."""
        body = json.dumps(json_format.MessageToDict(query), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        headers.update(
            auth_headers(
                self._credentials,
                method="POST",
                path=self._url.raw_path.decode("ascii").split("?", 1)[0],
                query=self._url.query.decode("ascii"),
                content_type=CONTENT_TYPE,
                body=body,
                clock=self._clock,
            )
        )
        return httpx.Request("POST", self._url, headers=headers, content=body, extensions={"timeout": httpx.Timeout(timeout).as_dict()})

    def answer(self, response: httpx.Response, query: pb.Query) -> pb.Answer:
        if response.status_code == 200:
            return json_format.Parse(response.text, pb.Answer(), ignore_unknown_fields=True)
        raise self._error(response, query)

    @staticmethod
    def _error(response: httpx.Response, query: pb.Query) -> APIError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        return error_for(
            response.status_code,
            str(body.get("code", "")),
            str(body.get("message") or response.reason_phrase or f"HTTP {response.status_code}"),
            field=str(body.get("field", "")),
            request_id=str(body.get("request_id") or response.headers.get("x-request-id") or query.request_id),
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
