"""Arguments the pool would refuse for their type alone are refused before any request, with a
ValueError naming the field; names and numbers both work for enums."""

import json

import pytest

import llmpool
from llmpool import pb


def test_tasks_and_strategies_accept_short_names_full_names_and_numbers():
    for task in ("expand_queries", "TASK_EXPAND_QUERIES", "Expand_Queries", pb.TASK_EXPAND_QUERIES):
        assert llmpool.build_query(task, "x").task == pb.TASK_EXPAND_QUERIES
    assert llmpool.build_query("judge", "x", strategy="voting").strategy == pb.STRATEGY_VOTING


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"task": "dance"}, "task"),
        ({"task": 0}, "task"),
        ({"task": 99}, "task"),
        ({"task": "judge", "strategy": "loudest"}, "strategy"),
        ({"task": "judge", "max_tokens": -1}, "max_tokens"),
        ({"task": "judge", "deadline_ms": 2**32}, "deadline_ms"),
        ({"task": "judge", "deadline_ms": True}, "deadline_ms"),
        ({"task": "judge", "input": ["not", "an", "object"]}, "input"),
        ({"task": "judge", "input": {"x": object()}}, "input"),
        ({"task": "judge", "meta": {"k": 1}}, "meta"),
        ({"task": "judge", "output": "yaml"}, "output"),
        ({"task": "judge", "prompt": b"bytes"}, "prompt"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        llmpool.build_query(**kwargs)


def test_output_takes_text_json_or_a_schema():
    assert llmpool.build_query("judge", "x", output="text").output.kind == pb.OUTPUT_KIND_TEXT
    query = llmpool.build_query("judge", "x", output={"type": "object"})
    assert query.output.kind == pb.OUTPUT_KIND_JSON_SCHEMA
    assert json.loads(query.output.json_schema) == {"type": "object"}


@pytest.mark.parametrize(
    "options,field",
    [
        ({"backend": "cloud"}, "backend"),
        ({"base_url": "ftp://x"}, "base_url"),
        ({"key_id": "vvtv-a"}, "key_id"),
        ({"key_id": "vvtv-a", "secret": "k" * 40, "token": "t"}, "token"),
        ({"backend": "local", "model": ""}, "model"),
        ({"backend": "local", "model": "m", "engine": "vllm-grpc"}, "engine"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_bad_client_options_raise_value_error_naming_the_option(options, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        llmpool.Client(env={}, **options)


def test_credentials_and_urls_come_from_the_environment_when_not_given():
    env = {"LLMPOOL_URL": "http://pool.invalid:7070", "LLMPOOL_KEY_ID": "vvtv-a", "LLMPOOL_SECRET": "k" * 40}
    client = llmpool.Client(env=env)
    assert client._backend._url == "http://pool.invalid:7070/v1/infer"
    assert client._backend._credentials.key_id == "vvtv-a"
    assert llmpool.Client(env={"LLMPOOL_BACKEND": "local", "LLMPOOL_MODEL": "m"}).backend == "local"
