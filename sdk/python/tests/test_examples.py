"""R-SDK-4: the examples run, with the one command docs/SDKs.md shows, against a pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_example(test_pool, name, *args):
    key = test_pool["keys"]["vvtv"]
    env = {**os.environ, "LLMPOOL_URL": test_pool["pool_url"], "LLMPOOL_KEY_ID": key["key_id"], "LLMPOOL_SECRET": key["secret"]}
    return subprocess.run(
        [sys.executable, f"sdk/python/examples/{name}.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def printed(stdout, label):
    line = next(l for l in stdout.splitlines() if l.startswith(label))
    return json.loads(line.split(":", 1)[1])


def test_planner_expands_then_reranks(test_pool):
    done = run_example(test_pool, "planner", "cinematic lounge, ambient slow burn")
    assert done.returncode == 0, done.stderr
    assert "must_include" in printed(done.stdout, "terms:")
    assert printed(done.stdout, "ranking:")["ranking"]


def test_curator_judges_then_enriches(test_pool):
    done = run_example(test_pool, "curator")
    assert done.returncode == 0, done.stderr
    assert "confidence" in printed(done.stdout, "verdict:")
    assert len(printed(done.stdout, "metadata v2:")["tags"]) >= 4


@pytest.mark.parametrize("name", ["planner", "curator"])
def test_an_example_reports_a_typed_error_in_one_line(test_pool, name):
    env = {**os.environ, "LLMPOOL_URL": test_pool["pool_url"], "LLMPOOL_KEY_ID": "vvtv-a", "LLMPOOL_SECRET": "x" * 64}
    done = subprocess.run([sys.executable, f"sdk/python/examples/{name}.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == f"{name}: unauthenticated: the request is not authenticated"
