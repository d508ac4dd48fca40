"""R-SDK-4: the examples run, with the one command docs/SDKs.md shows, against a pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from doc_blocks import run_block, shell_block

ROOT = Path(__file__).resolve().parents[3]


def printed(stdout, label):
    line = next(l for l in stdout.splitlines() if l.startswith(label))
    return json.loads(line.split(":", 1)[1])


def test_the_documented_commands_run_the_planner_then_the_curator(test_pool):
    key = test_pool["keys"]["vvtv"]
    env = {"LLMPOOL_URL": test_pool["pool_url"], "LLMPOOL_KEY_ID": key["key_id"], "LLMPOOL_SECRET": key["secret"]}
    done = run_block(shell_block("docs/SDKs.md", "examples-python"), env=env)
    assert done.returncode == 0, done.stderr
    # planner: expand_queries -> rerank_candidates
    assert "must_include" in printed(done.stdout, "terms:")
    assert printed(done.stdout, "ranking:")["ranking"]
    # curator: judge, then enrich_metadata
    assert "confidence" in printed(done.stdout, "verdict:")
    assert len(printed(done.stdout, "metadata v2:")["tags"]) >= 4


@pytest.mark.parametrize("name", ["planner", "curator"])
def test_an_example_reports_a_typed_error_in_one_line(test_pool, name):
    env = {**os.environ, "LLMPOOL_URL": test_pool["pool_url"], "LLMPOOL_KEY_ID": "vvtv-a", "LLMPOOL_SECRET": "x" * 64}
    done = subprocess.run([sys.executable, f"sdk/python/examples/{name}.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == f"{name}: unauthenticated: the request is not authenticated"
