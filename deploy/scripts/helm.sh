#!/usr/bin/env bash
# Helm v3 built from the Go module proxy (go install helm.sh/helm/v3/cmd/helm@VERSION), cached under
# $LLMPOOL_CACHE_DIR/tools/helm/<version>/bin/helm the way tools/engines/lib.sh caches the engines.
#
#   helm.sh install      build or find the cached binary; prints its path on stdout
#   helm.sh path         print the cached binary's path (exit 3 if not built)
#   helm.sh run ARGS...  run the cached helm (building it first if needed)
#
# Environment (optional):
#   LLMPOOL_CACHE_DIR      cache root (default $HOME/.cache/llm-pool)
#   LLMPOOL_HELM_VERSION   module version (default v3.20.2)
set -euo pipefail

VERSION="${LLMPOOL_HELM_VERSION:-v3.20.2}"
CACHE_ROOT="${LLMPOOL_CACHE_DIR:-$HOME/.cache/llm-pool}"
BASE="$CACHE_ROOT/tools/helm"
BIN="$BASE/$VERSION/bin/helm"
# The Go module and build caches are the engines' (tools/engines/lib.sh): one download of shared modules.
GO_CACHE="$CACHE_ROOT/engines/go"

log() { printf '[helm] %s\n' "$*" >&2; }
die() { local code="$1"; shift; printf '[helm] error: %s\n' "$*" >&2; exit "$code"; }

cmd_install() {
  local dir t0
  if [ -x "$BIN" ]; then log "cached: $BIN"; printf '%s\n' "$BIN"; return 0; fi
  command -v go >/dev/null 2>&1 || die 5 "'go' is required to build helm"
  dir="$(dirname "$BIN")"
  log "building helm $VERSION with go install (a few minutes on 2 cores, first time)"
  t0=$SECONDS
  mkdir -p "$dir.tmp" "$GO_CACHE/path" "$GO_CACHE/mod" "$GO_CACHE/build"
  if ! GOBIN="$dir.tmp" GOPATH="$GO_CACHE/path" GOMODCACHE="$GO_CACHE/mod" GOCACHE="$GO_CACHE/build" \
      GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
      go install -trimpath -ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$VERSION" \
      "helm.sh/helm/v3/cmd/helm@$VERSION" >"$BASE/install-$VERSION.log" 2>&1; then
    grep -v '^go: downloading' "$BASE/install-$VERSION.log" | tail -n 30 >&2
    die 5 "go install helm.sh/helm/v3/cmd/helm@$VERSION failed (log: $BASE/install-$VERSION.log)"
  fi
  [ -x "$dir.tmp/helm" ] || die 5 "go install produced no helm binary"
  rm -rf "$dir" && mkdir -p "$dir" && mv "$dir.tmp/helm" "$BIN" && rmdir "$dir.tmp"
  log "built $BIN in $((SECONDS - t0)) s"
  printf '%s\n' "$BIN"
}

case "${1:-}" in
  install) cmd_install ;;
  path) [ -x "$BIN" ] || exit 3; printf '%s\n' "$BIN" ;;
  run) shift; cmd_install >/dev/null; exec "$BIN" "$@" ;;
  *) printf 'usage: helm.sh install | path | run ARGS...\n' >&2; exit 2 ;;
esac
