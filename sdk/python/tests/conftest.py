"""Fixtures: the real pool (the pool CLI with the mock engine, started once per session by
sdk/ts/test-pool) and a fake server that fails on purpose."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fake_server import FakeServer

# tests/ -> python/ -> sdk/ -> repository root
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="session")
def test_pool():
    """TestPoolInfo (sdk/ts/test-pool/src/test-pool.ts) of a pool running for the whole session."""
    child = subprocess.Popen(
        ["node", "--conditions=@llm-pool/source", "--import", "tsx", "sdk/ts/test-pool/src/cli.ts"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline()
    if not line:
        child.wait(timeout=10)
        raise RuntimeError(f"the SDK test pool did not start (exit {child.returncode}); see stderr above")
    info = json.loads(line)
    yield info
    child.stdin.close()  # the CLI stops the pool and the engine when its stdin closes
    child.wait(timeout=30)


@pytest.fixture
def fake_server():
    server = FakeServer()
    yield server
    server.close()
