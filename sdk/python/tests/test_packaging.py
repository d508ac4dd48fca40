"""R-SDK-4: the package as a user gets it — a wheel built from the sources, installed into a fresh
virtualenv outside the repository, imported from a scratch directory — calls the real pool."""

import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

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


def test_the_wheel_installs_into_a_fresh_venv_and_calls_the_pool(test_pool, tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT / "sdk/python")],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("llmpool-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "llmpool/prompts.json" in names and "llmpool/gen/vvtv/llmpool/v1/llmpool_pb2.py" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], check=True)

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "use_sdk.py").write_text(SCRATCH)
    key = test_pool["keys"]["vvtv"]
    done = subprocess.run(
        [str(python), "use_sdk.py", test_pool["pool_url"], key["key_id"], key["secret"]],
        cwd=scratch, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"winner": "fast"' in done.stdout
