"""The `local` backend (R-SDK-5): the query goes straight to one Ollama or OpenAI-compatible
engine, rendered with the pool's own prompt templates (prompts/, bundled as prompts.json), for
development without a pool. No ensemble, cache or auth: one engine, one call."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Mapping

import httpx
from google.protobuf import json_format

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

from .errors import APIError, error_for
from .queries import task_name
from .retries import parse_retry_after

ENGINES = ("ollama", "openai")
DEFAULT_MAX_TOKENS = 256
# The pool's default task seed ([tasks.*] seed): the same query gets the same answer either way.
DEFAULT_SEED = 42


def bundled_prompts() -> Mapping[str, Any]:
    """Task name -> {"system": template, "schema": output JSON Schema}."""
    text = resources.files("llmpool").joinpath("prompts.json").read_text(encoding="utf-8")
    return json.loads(text)["tasks"]


def render(query: pb.Query, system: str) -> tuple[str, str]:
    """(system, user) text exactly as the pool renders a query for an engine."""
    parts = [query.prompt.strip()]
    if query.HasField("input"):
        parts.append("Input (JSON):\n" + _compact_json(json_format.MessageToDict(query.input)))
    return system, "\n\n".join(p for p in parts if p)


def _compact_json(value: Any) -> str:
    # Struct numbers are doubles; print whole ones as integers, as the pool (JavaScript) does.
    def whole(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: whole(x) for k, x in v.items()}
        if isinstance(v, list):
            return [whole(x) for x in v]
        return v

    return json.dumps(whole(value), separators=(",", ":"), ensure_ascii=False)


class LocalBackend:
    def __init__(
        self,
        engine_url: str,
        *,
        engine: str = "ollama",
        model: str,
        api_key: str | None = None,
        temperature: float = 0.0,
        seed: int = DEFAULT_SEED,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
        if not model:
            raise ValueError("model: is required with backend='local'")
        url = httpx.URL(engine_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"engine_url: expected an http(s) URL, got {engine_url!r}")
        self._url = url.join("/api/chat" if engine == "ollama" else "/v1/chat/completions")
        self._engine = engine
        self._model = model
        self._api_key = api_key
        self._temperature = temperature
        self._seed = seed
        self._prompts = bundled_prompts()

    def request(self, query: pb.Query, timeout: float) -> httpx.Request:
        if query.prompt == "" and not query.HasField("input"):
            raise ValueError("prompt: a query needs a prompt, an input, or both")
        template = self._prompts[task_name(query.task)]
        system, user = render(query, template["system"])
        kind, schema = self._output(query, template["schema"])
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        max_tokens = query.max_tokens or DEFAULT_MAX_TOKENS
        if self._engine == "ollama":
            body: dict[str, Any] = {
                "model": self._model,
                "messages": messages,
                "stream": False,
                "options": {"num_predict": max_tokens, "temperature": self._temperature, "seed": self._seed},
            }
            if kind != pb.OUTPUT_KIND_TEXT:
                body["format"] = "json" if kind == pb.OUTPUT_KIND_JSON else schema
        else:
            body = {
                "model": self._model,
                "messages": messages,
                "max_tokens": max_tokens,
                "temperature": self._temperature,
                "seed": self._seed,
                "stream": False,
            }
            if kind == pb.OUTPUT_KIND_JSON:
                body["response_format"] = {"type": "json_object"}
            elif kind == pb.OUTPUT_KIND_JSON_SCHEMA:
                body["response_format"] = {"type": "json_schema", "json_schema": {"name": task_name(query.task), "schema": schema, "strict": True}}
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return httpx.Request("POST", self._url, headers=headers, json=body, extensions={"timeout": httpx.Timeout(timeout).as_dict()})

    @staticmethod
    def _output(query: pb.Query, task_schema: Any) -> tuple[int, Any]:
        kind = query.output.kind if query.HasField("output") else pb.OUTPUT_KIND_UNSPECIFIED
        if kind == pb.OUTPUT_KIND_JSON_SCHEMA:
            try:
                return kind, json.loads(query.output.json_schema)
            except ValueError:
                raise ValueError("output.json_schema: is not valid JSON") from None
        if kind == pb.OUTPUT_KIND_UNSPECIFIED:
            return pb.OUTPUT_KIND_JSON_SCHEMA, task_schema
        return kind, None

    def answer(self, response: httpx.Response, query: pb.Query) -> pb.Answer:
        if response.status_code != 200:
            raise self._error(response, query)
        try:
            data = response.json()
            if self._engine == "ollama":
                text = data["message"]["content"]
                usage = pb.Usage(prompt_tokens=data.get("prompt_eval_count", 0), completion_tokens=data.get("eval_count", 0))
            else:
                text = data["choices"][0]["message"]["content"]
                counts = data.get("usage") or {}
                usage = pb.Usage(prompt_tokens=counts.get("prompt_tokens", 0), completion_tokens=counts.get("completion_tokens", 0))
        except (ValueError, KeyError, IndexError, TypeError):
            raise error_for(502, "unavailable", f"the engine's answer is not a {self._engine} chat reply", request_id=query.request_id) from None
        kind, _ = self._output(query, None)
        return pb.Answer(
            request_id=query.request_id,
            task=query.task,
            output=text,
            output_kind=kind,
            winner_provider="local",
            winner_model=self._model,
            strategy_requested=query.strategy or pb.STRATEGY_FASTEST,
            strategy_applied=pb.STRATEGY_FASTEST,
            usage=usage,
            total_usage=usage,
            duration_ms=_elapsed_ms(response),
        )

    def _error(self, response: httpx.Response, query: pb.Query) -> APIError:
        detail = response.text[:200]
        status = response.status_code
        # An engine's 429 and 5xx are "try again later"; a 4xx is our request or model name.
        code = "resource_exhausted" if status == 429 else "unavailable" if status >= 500 else "invalid_argument"
        return error_for(
            status,
            code,
            f"{self._engine} engine at {self._url} answered {status}: {detail}",
            request_id=query.request_id,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )


def _elapsed_ms(response: httpx.Response) -> int:
    try:
        return int(response.elapsed.total_seconds() * 1000)
    except RuntimeError:  # a response that was never sent (built by hand)
        return 0
