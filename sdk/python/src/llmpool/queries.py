"""Building a `Query` from keyword arguments, checking what can be checked here."""

from __future__ import annotations

import json
from typing import Any, Mapping, Union

from llmpool.gen.vvtv.llmpool.v1 import llmpool_pb2 as pb

TaskLike = Union[int, str]
StrategyLike = Union[int, str, None]
# "text", "json", a JSON Schema (a dict), or an OutputFormat message.
OutputLike = Union[str, Mapping[str, Any], "pb.OutputFormat", None]


def _enum_value(enum: Any, prefix: str, field: str, value: int | str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{field}: expected a name or a number, got {value!r}")
    if isinstance(value, int):
        if value in enum.values():
            return value
        raise ValueError(f"{field}: unknown value {value}")
    if isinstance(value, str):
        name = value.strip().upper()
        name = name if name.startswith(prefix) else prefix + name
        if name in enum.keys():
            return enum.Value(name)
        known = ", ".join(n[len(prefix) :].lower() for n in enum.keys()[1:])
        raise ValueError(f"{field}: unknown value {value!r}; expected one of {known}")
    raise ValueError(f"{field}: expected a name or a number, got {type(value).__name__}")


def task_value(task: TaskLike) -> int:
    """`"expand_queries"`, `"TASK_EXPAND_QUERIES"` or `pb.TASK_EXPAND_QUERIES` -> the enum number."""
    value = _enum_value(pb.Task, "TASK_", "task", task)
    if value == pb.TASK_UNSPECIFIED:
        raise ValueError("task: is required")
    return value


def strategy_value(strategy: StrategyLike) -> int:
    return pb.STRATEGY_UNSPECIFIED if strategy is None else _enum_value(pb.Strategy, "STRATEGY_", "strategy", strategy)


def task_name(task: int) -> str:
    """`pb.TASK_EXPAND_QUERIES` -> `"expand_queries"` (the name of its prompt file)."""
    return pb.Task.Name(task)[len("TASK_") :].lower()


def output_format(output: OutputLike) -> pb.OutputFormat | None:
    if output is None:
        return None
    if isinstance(output, pb.OutputFormat):
        return output
    if output == "text":
        return pb.OutputFormat(kind=pb.OUTPUT_KIND_TEXT)
    if output == "json":
        return pb.OutputFormat(kind=pb.OUTPUT_KIND_JSON)
    if isinstance(output, Mapping):
        return pb.OutputFormat(kind=pb.OUTPUT_KIND_JSON_SCHEMA, json_schema=json.dumps(output))
    raise ValueError(f"output: expected 'text', 'json' or a JSON Schema dict, got {output!r}")


def build_query(
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
) -> pb.Query:
    """A Query; arguments the pool would refuse for their type alone raise ValueError naming the field."""
    query = pb.Query(task=task_value(task), strategy=strategy_value(strategy))
    if prompt is not None:
        if not isinstance(prompt, str):
            raise ValueError(f"prompt: expected a string, got {type(prompt).__name__}")
        query.prompt = prompt
    if input is not None:
        if not isinstance(input, Mapping):
            raise ValueError(f"input: expected a JSON object (a dict), got {type(input).__name__}")
        try:
            query.input.update(input)
        except (TypeError, ValueError) as error:
            raise ValueError(f"input: not representable as JSON: {error}") from None
    for name, value in (("max_tokens", max_tokens), ("deadline_ms", deadline_ms)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**32:
                raise ValueError(f"{name}: expected an integer from 0 to 4294967295, got {value!r}")
            setattr(query, name, value)
    for name, value in (("request_id", request_id), ("tenant_id", tenant_id), ("project_id", project_id)):
        if value is not None:
            setattr(query, name, value)
    if meta is not None:
        for key, value in meta.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValueError(f"meta: keys and values must be strings, got {key!r}: {value!r}")
            query.meta[key] = value
    fmt = output_format(output)
    if fmt is not None:
        query.output.CopyFrom(fmt)
    return query
