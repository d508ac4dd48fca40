"""`Client` (blocking) and `AsyncClient` (asyncio): one `infer()` for every task.

    client = llmpool.Client("http://127.0.0.1:7070", key_id="vvtv-a", secret=os.environ["LLMPOOL_SECRET"])
    answer = client.infer("expand_queries", "jazz ao vivo", deadline_ms=900)
    print(answer.output, answer.winner_model)

Both share everything but the waiting: building and signing each attempt, reading answers and
errors, and the retry decisions live in the backends and in RetryPolicy.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any, Awaitable, Callable, Literal, Mapping, Union

import httpx

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

from .auth import BearerToken, Credentials
from .errors import APIConnectionError, APITimeoutError, LlmPoolError
from .local_backend import LocalBackend
from .pool_backend import PoolBackend
from .queries import OutputLike, StrategyLike, TaskLike, build_query
from .retries import RetryPolicy
from .signing import HmacCredentials

Backend = Literal["pool", "local"]
DEFAULT_POOL_URL = "http://127.0.0.1:7070"
DEFAULT_ENGINE_URL = "http://127.0.0.1:11434"
# Seconds the client waits beyond the query's own deadline for the pool's answer (or its 504).
DEADLINE_MARGIN_S = 1.0


class _ClientBase:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        key_id: str | None = None,
        secret: str | None = None,
        token: Union[str, Callable[[], str], None] = None,
        backend: Backend | None = None,
        engine_url: str | None = None,
        engine: str | None = None,
        model: str | None = None,
        engine_api_key: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Arguments left out are read from the environment: LLMPOOL_URL, LLMPOOL_KEY_ID and
        LLMPOOL_SECRET (HMAC), LLMPOOL_TOKEN (JWT), LLMPOOL_BACKEND ("pool" or "local"), and for
        the local backend LLMPOOL_ENGINE_URL, LLMPOOL_ENGINE ("ollama" or "openai"), LLMPOOL_MODEL."""
        env = os.environ if env is None else env
        backend = backend or env.get("LLMPOOL_BACKEND") or "pool"
        if timeout <= 0:
            raise ValueError("timeout: must be above 0 seconds")
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        if backend == "pool":
            self._backend: Any = PoolBackend(base_url or env.get("LLMPOOL_URL") or DEFAULT_POOL_URL, _credentials(key_id, secret, token, env), clock)
        elif backend == "local":
            self._backend = LocalBackend(
                engine_url or env.get("LLMPOOL_ENGINE_URL") or DEFAULT_ENGINE_URL,
                engine=engine or env.get("LLMPOOL_ENGINE") or "ollama",
                model=model or env.get("LLMPOOL_MODEL") or "",
                api_key=engine_api_key or env.get("LLMPOOL_ENGINE_API_KEY"),
            )
        else:
            raise ValueError(f"backend: expected 'pool' or 'local', got {backend!r}")
        self.backend: Backend = backend

    def _attempt_timeout(self, query: pb.Query) -> float:
        return query.deadline_ms / 1000 + DEADLINE_MARGIN_S if query.deadline_ms else self._timeout


def _credentials(key_id: str | None, secret: str | None, token: Any, env: Mapping[str, str]) -> Credentials:
    if token is not None:
        if key_id or secret:
            raise ValueError("token: give either a token or key_id and secret, not both")
        return BearerToken(token)
    key_id = key_id or env.get("LLMPOOL_KEY_ID")
    secret = secret or env.get("LLMPOOL_SECRET")
    if key_id and secret:
        return HmacCredentials(key_id, secret)
    if key_id or secret:
        raise ValueError("key_id, secret: give both or neither")
    if env.get("LLMPOOL_TOKEN"):
        return BearerToken(env["LLMPOOL_TOKEN"])
    return None


def _transport_error(error: httpx.TransportError) -> LlmPoolError:
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"no answer in time: {error}")
    return APIConnectionError(f"could not reach the server: {error}")


class Client(_ClientBase):
    """A blocking client. Use it as a context manager, or call close()."""

    def __init__(self, base_url: str | None = None, *, http_client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep, **options: Any) -> None:
        super().__init__(base_url, **options)
        self._http = http_client or httpx.Client()
        self._sleep = sleep

    def infer(
        self,
        task: TaskLike,
        prompt: str | None = None,
        *,
        strategy: StrategyLike = None,
        input: Mapping[str, Any] | None = None,
        request_id: str | None = None,
        max_tokens: int | None = None,
        deadline_ms: int | None = None,
        meta: Mapping[str, str] | None = None,
        output: OutputLike = None,
        tenant_id: str | None = None,
        project_id: str | None = None,
    ) -> pb.Answer:
        """Runs one query; raises a typed LlmPoolError once retries (if any apply) are spent."""
        query = build_query(
            task, prompt, strategy=strategy, input=input, request_id=request_id, max_tokens=max_tokens,
            deadline_ms=deadline_ms, meta=meta, output=output, tenant_id=tenant_id, project_id=project_id,
        )  # fmt: skip
        return self.infer_query(query)

    def infer_query(self, query: pb.Query) -> pb.Answer:
        attempt = 0
        while True:
            try:
                request = self._backend.request(query, self._attempt_timeout(query))
                try:
                    response = self._http.send(request)
                except httpx.TransportError as error:
                    raise _transport_error(error) from error
                return self._backend.answer(response, query)
            except LlmPoolError as error:
                delay = self._retry.delay_before_retry(error, attempt, idempotent=bool(query.request_id))
                if delay is None:
                    raise
                self._sleep(delay)
                attempt += 1

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """The same client for asyncio: `await client.infer(...)`."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **options: Any,
    ) -> None:
        super().__init__(base_url, **options)
        self._http = http_client or httpx.AsyncClient()
        self._sleep = sleep

    async def infer(
        self,
        task: TaskLike,
        prompt: str | None = None,
        *,
        strategy: StrategyLike = None,
        input: Mapping[str, Any] | None = None,
        request_id: str | None = None,
        max_tokens: int | None = None,
        deadline_ms: int | None = None,
        meta: Mapping[str, str] | None = None,
        output: OutputLike = None,
        tenant_id: str | None = None,
        project_id: str | None = None,
    ) -> pb.Answer:
        query = build_query(
            task, prompt, strategy=strategy, input=input, request_id=request_id, max_tokens=max_tokens,
            deadline_ms=deadline_ms, meta=meta, output=output, tenant_id=tenant_id, project_id=project_id,
        )  # fmt: skip
        return await self.infer_query(query)

    async def infer_query(self, query: pb.Query) -> pb.Answer:
        attempt = 0
        while True:
            try:
                request = self._backend.request(query, self._attempt_timeout(query))
                try:
                    response = await self._http.send(request)
                except httpx.TransportError as error:
                    raise _transport_error(error) from error
                return self._backend.answer(response, query)
            except LlmPoolError as error:
                delay = self._retry.delay_before_retry(error, attempt, idempotent=bool(query.request_id))
                if delay is None:
                    raise
                await self._sleep(delay)
                attempt += 1

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
