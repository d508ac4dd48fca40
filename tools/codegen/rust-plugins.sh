#!/usr/bin/env bash
# Installs the pinned Rust protoc plugins into a cache outside the clone and
# prints the folder to put on PATH. A second run finds them and builds nothing.
set -euo pipefail
root="${LLMPOOL_TOOLS_DIR:-$HOME/.cache/llm-pool/tools}"
plugins=(protoc-gen-prost@0.5.0 protoc-gen-tonic@0.5.0 protoc-gen-prost-serde@0.4.0)
for p in "${plugins[@]}"; do
  name="${p%@*}" version="${p#*@}"
  if ! grep -q "^\"$name $version " "$root/.crates.toml" 2>/dev/null; then
    echo "installing $p into $root" >&2
    cargo install --quiet --locked --root "$root" "$p" >&2
  fi
done
echo "$root/bin"
