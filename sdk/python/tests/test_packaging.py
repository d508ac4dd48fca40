"""R-SDK-4: the package as a user gets it — a wheel built from the sources with docs/SDKs.md's
commands, installed into a fresh virtualenv outside the repository, imported from a scratch
directory — calls the real pool; and the README's development setup works in a fresh copy."""

import re
import shutil
import subprocess
import textwrap
import venv
import zipfile

from doc_blocks import ROOT, run_block, shell_block

SCRATCH = textwrap.dedent(
    """
    import json, sys, llmpool
    assert "site-packages" in llmpool.__file__, llmpool.__file__
    url, key_id, secret = sys.argv[1:4]
    with llmpool.Client(url, key_id=key_id, secret=secret) as client:
        answer = client.infer("expand_queries", "jazz ao vivo")
    print(json.dumps({"winner": answer.winner_provider, "output": json.loads(answer.output)}))
    """
)

WHEEL = ROOT / "sdk/python/dist/llmpool-0.1.0-py3-none-any.whl"


def test_the_documented_install_puts_the_wheel_into_a_fresh_venv_that_calls_the_pool(test_pool, tmp_path):
    app = tmp_path / "app"
    venv.create(app / ".venv", with_pip=True)
    python = app / ".venv" / "bin" / "python"
    built_here = not WHEEL.exists()
    try:
        done = run_block(shell_block("docs/SDKs.md", "install-python"), env={"APP": str(app)}, timeout=300)
        assert done.returncode == 0, done.stderr
        names = zipfile.ZipFile(WHEEL).namelist()
    finally:
        if built_here:
            WHEEL.unlink(missing_ok=True)
    assert "llmpool/prompts.json" in names and "llmpool/gen/vvtv/llmpool/v1/llmpool_pb2.py" in names

    (app / "use_sdk.py").write_text(SCRATCH)
    key = test_pool["keys"]["vvtv"]
    used = subprocess.run(
        [str(python), "use_sdk.py", test_pool["pool_url"], key["key_id"], key["secret"]],
        cwd=app, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert used.returncode == 0, used.stderr
    assert '"winner": "fast"' in used.stdout


# The tests the fresh copy runs: every one that needs neither the pool nor another language.
COPIED_TESTS = ["conftest.py", "fake_server.py", "test_hmac_vectors.py", "test_queries.py", "test_retries.py", "test_vectors.py"]


def test_the_readmes_development_setup_runs_in_a_fresh_copy(tmp_path):
    """sdk/python/README.md's block, as written, in a directory laid out like the repository: a new
    virtualenv, the pinned requirements, the package in editable mode, then pytest on the copy."""
    copy = tmp_path / "llm-pool"
    python_dir = copy / "sdk/python"
    for name in ["pyproject.toml", "README.md", "requirements-dev.txt"]:
        (python_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "sdk/python" / name, python_dir / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "sdk/python/src", python_dir / "src", ignore=ignore)
    (python_dir / "tests").mkdir()
    for name in COPIED_TESTS:
        shutil.copy(ROOT / "sdk/python/tests" / name, python_dir / "tests" / name)
    shutil.copytree(ROOT / "testdata", copy / "testdata")

    done = run_block(shell_block("sdk/python/README.md", "python-dev-setup"), cwd=copy, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=+ \d+ passed in [\d.]+s( \([\d:]+\))? =+", summary), summary
    editable = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", "import llmpool; print(llmpool.__file__)"], capture_output=True, text=True, check=True
    )
    assert editable.stdout.strip() == str(python_dir / "src/llmpool/__init__.py")
