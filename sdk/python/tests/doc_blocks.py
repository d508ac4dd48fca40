"""Shell blocks of the docs by their `<!-- tested: NAME -->` marker (the convention every doc spec
of the repository follows; sdk/ts/llmpool-client/test/docs-commands.spec.ts checks that each block
of the SDK docs is marked and run), and running one with bash as a reader would paste it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def shell_block(doc: str, name: str) -> str:
    """The commands of the block of `doc` (relative to the repository root) marked `name`."""
    text = (ROOT / doc).read_text()
    match = re.search(rf"^<!-- tested: {re.escape(name)} -->\n```(?:sh|bash)\n(.*?)\n```$", text, re.M | re.S)
    if not match:
        raise LookupError(f"{doc} has no shell block marked <!-- tested: {name} -->")
    return match.group(1)


def run_block(code: str, *, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Runs `code` with bash (`set -euo pipefail`) in `cwd`, with `env` added to the environment."""
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail\n{code}"],
        cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
