"""R-SDK-5: backend="local" sends the query straight to an Ollama or OpenAI-compatible engine
(here the mock engine over real HTTP) with the pool's prompt templates, bundled in the package."""

import json
from pathlib import Path

import httpx
import pytest

import llmpool
from llmpool.local_backend import bundled_prompts

ROOT = Path(__file__).resolve().parents[3]


def test_the_bundled_prompts_are_the_pools_prompt_files():
    bundle = bundled_prompts()
    tasks = sorted(p.stem for p in (ROOT / "prompts").glob("*.md"))
    assert sorted(bundle) == tasks, "run: node sdk/sync-prompts.mjs"
    for task in tasks:
        assert bundle[task]["system"] == (ROOT / "prompts" / f"{task}.md").read_text(), "run: node sdk/sync-prompts.mjs"
        assert bundle[task]["schema"] == json.loads((ROOT / "prompts" / "schemas" / f"{task}.json").read_text())


def local_client(test_pool, engine):
    return llmpool.Client(backend="local", engine_url=test_pool["engine_url"], engine=engine, model="fast:1b", env={})


def pool_client(test_pool):
    k = test_pool["keys"]["vvtv"]
    return llmpool.Client(test_pool["pool_url"], key_id=k["key_id"], secret=k["secret"])


@pytest.mark.parametrize("engine", ["ollama", "openai"])
def test_local_backend_answers_from_the_engine_in_the_tasks_schema(test_pool, engine):
    with local_client(test_pool, engine) as client:
        answer = client.infer("recovery_plan", "encoder crashed twice", input={"error": "ffmpeg exit 137"})
    plan = json.loads(answer.output)
    assert plan["severity"] in ("low", "medium", "high") and isinstance(plan["steps"], list)
    assert answer.winner_provider == "local" and answer.winner_model == "fast:1b"
    assert answer.usage.completion_tokens > 0


def test_local_and_pool_render_the_same_prompt_so_the_engine_gives_the_same_answer(test_pool):
    # The mock engine's answer is a pure function of (model, seed, system + user text): equal
    # answers mean the local backend rendered exactly what the pool rendered.
    query = {"input": {"seeds": ["jazz", "rain"], "limit": 3, "night": True}}
    with local_client(test_pool, "ollama") as local, pool_client(test_pool) as pool:
        from_local = local.infer("expand_queries", "  cinematic lounge ", **query)
        from_pool = pool.infer("expand_queries", "  cinematic lounge ", **query)
        other = local.infer("expand_queries", "cinematic lounge!", **query)
    assert json.loads(from_local.output) == json.loads(from_pool.output)
    assert json.loads(other.output) != json.loads(from_pool.output)


def test_an_unknown_model_is_an_error_naming_the_engine_and_is_not_retried(test_pool):
    sleeps = []
    client = llmpool.Client(backend="local", engine_url=test_pool["engine_url"], model="nope:1b", env={}, sleep=sleeps.append)
    with pytest.raises(llmpool.InvalidArgumentError, match="ollama engine"):
        client.infer("judge", "x")
    assert sleeps == []


def test_an_unreachable_engine_is_a_connection_error():
    client = llmpool.Client(backend="local", engine_url="http://127.0.0.1:9", model="m", env={})
    with pytest.raises(llmpool.APIConnectionError):
        client.infer("judge", "x")
