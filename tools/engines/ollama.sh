#!/usr/bin/env bash
# Ollama built from the Go module proxy (go install github.com/ollama/ollama@v0.11.4, CPU only, cgo),
# cached under $LLMPOOL_CACHE_DIR/engines/ollama/<version>-<cpu variant>/bin/ollama.
#
#   ollama.sh install                    build or find the cached binary; prints its path
#   ollama.sh start PORT [MODEL] [NAME]  `ollama serve` on 127.0.0.1:PORT, then `ollama create NAME` from the
#                                        GGUF MODEL (or $LLMPOOL_MODEL; NAME defaults to one from the file name)
#                                        with PARAMETER num_thread $LLMPOOL_ENGINE_THREADS, and preloads it
#   ollama.sh stop [PORT]                stop the server started on PORT (default: every one this script started)
#   ollama.sh status [PORT]              print whether it is up (exit 0 up, 1 unhealthy, 3 not running)
#   ollama.sh path                       print the cached binary's path (exit 3 if not built)
#
# Environment: see lib.sh, plus
#   LLMPOOL_OLLAMA_VERSION     module version (default v0.11.4)
#   LLMPOOL_OLLAMA_CPU         avx2 | generic: instruction set the cgo ggml is compiled for (default: avx2 when
#                              this CPU has avx2+fma+f16c, else generic)
#   LLMPOOL_OLLAMA_KEEP_ALIVE  how long a loaded model stays resident (default 30m)
#   LLMPOOL_OLLAMA_MODELS      OLLAMA_MODELS dir (default $LLMPOOL_CACHE_DIR/engines/ollama/models)
set -euo pipefail
ENGINE=ollama
# shellcheck source=lib.sh disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION="${LLMPOOL_OLLAMA_VERSION:-v0.11.4}"
if [ -z "${LLMPOOL_OLLAMA_CPU:-}" ]; then
  if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw f16c /proc/cpuinfo; then
    LLMPOOL_OLLAMA_CPU=avx2
  else
    LLMPOOL_OLLAMA_CPU=generic
  fi
fi
case "$LLMPOOL_OLLAMA_CPU" in
  avx2) CPU_CFLAGS="-O3 -msse4.2 -mavx -mavx2 -mfma -mf16c -mbmi2" ;;
  generic) CPU_CFLAGS="-O3" ;;
  *) die 2 "LLMPOOL_OLLAMA_CPU must be avx2 or generic" ;;
esac
BASE="$CACHE_ROOT/ollama"
BIN="$BASE/$VERSION-$LLMPOOL_OLLAMA_CPU/bin/ollama"
MODELS="${LLMPOOL_OLLAMA_MODELS:-$BASE/models}"
KEEP_ALIVE="${LLMPOOL_OLLAMA_KEEP_ALIVE:-30m}"

cmd_install() {
  local dir t0
  if [ -x "$BIN" ]; then log "cached: $BIN"; return 0; fi
  need go cc c++
  dir="$(dirname "$BIN")"
  log "building ollama $VERSION ($LLMPOOL_OLLAMA_CPU) with go install (~5 min on 2 cores, first time)"
  t0=$SECONDS
  mkdir -p "$dir.tmp" "$CACHE_ROOT/go/path" "$CACHE_ROOT/go/mod" "$CACHE_ROOT/go/build"
  # Go caches under the cache dir so a rerun reuses modules and compiled packages; -modcacherw keeps them deletable.
  if ! GOBIN="$dir.tmp" GOPATH="$CACHE_ROOT/go/path" GOMODCACHE="$CACHE_ROOT/go/mod" GOCACHE="$CACHE_ROOT/go/build" \
      GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=1 \
      CGO_CFLAGS="$CPU_CFLAGS" CGO_CXXFLAGS="$CPU_CFLAGS" \
      go install -trimpath -ldflags="-s -w -X=github.com/ollama/ollama/version.Version=${VERSION#v}" \
      "github.com/ollama/ollama@$VERSION" >"$BASE/install-$VERSION.log" 2>&1; then
    grep -v '^go: downloading' "$BASE/install-$VERSION.log" | tail -n 30 >&2
    die 5 "go install github.com/ollama/ollama@$VERSION failed (log: $BASE/install-$VERSION.log)"
  fi
  [ -x "$dir.tmp/ollama" ] || die 5 "go install produced no ollama binary"
  rm -rf "$dir" && mkdir -p "$dir" && mv "$dir.tmp/ollama" "$BIN" && rmdir "$dir.tmp"
  log "built $BIN in $((SECONDS - t0)) s"
}

# Ollama client against the server on PORT.
client() { local port="$1"; shift; OLLAMA_HOST="127.0.0.1:$port" "$BIN" "$@"; }

has_model() { curl -fsS --max-time 5 "http://127.0.0.1:$1/api/tags" | grep -q "\"name\":\"$2\(:latest\)\{0,1\}\""; }

cmd_start() {
  local port="${1:-}" model name pid rc st mf t0
  check_port "$port"
  model="$(resolve_model "${2:-}")"
  name="${3:-$(default_name "$model")}"
  [[ "$name" =~ ^[a-zA-Z0-9][a-zA-Z0-9._-]*(:[a-zA-Z0-9._-]+)?$ ]] || die 2 "invalid Ollama model name '$name'"
  need curl setsid
  cmd_install
  mkdir -p "$RUN_DIR" "$MODELS"
  pid="$(live_pid "$port" "$BIN")"
  if [ -n "$pid" ]; then
    st="$(cat "$(state_file "$port")" 2>/dev/null || true)"
    [ "$st" = "$model $name" ] || die 6 "port $port already runs pid $pid with '$st'; stop it first"
    log "already running on port $port (pid $pid, $name)"; return 0
  fi
  port_in_use "$port" && die 6 "port $port on 127.0.0.1 is already in use by another process"
  LOGF="$(log_file "$port")"; : >"$LOGF"
  pid="$(OLLAMA_HOST="127.0.0.1:$port" OLLAMA_MODELS="$MODELS" OLLAMA_KEEP_ALIVE="$KEEP_ALIVE" \
    OLLAMA_NUM_PARALLEL=1 OLLAMA_MAX_LOADED_MODELS=1 OLLAMA_CONTEXT_LENGTH="$CTX" OLLAMA_NOPRUNE=1 \
    OLLAMA_NOHISTORY=1 spawn "$BIN" serve)"
  printf '%s\n' "$pid" >"$(pid_file "$port")"
  printf '%s %s\n' "$model" "$name" >"$(state_file "$port")"
  rc=0; wait_healthy "http://127.0.0.1:$port/api/version" "$pid" || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 25 "$LOGF" >&2 || true
    [ "$rc" = 1 ] && { rm -f "$(pid_file "$port")" "$(state_file "$port")"; die 6 "ollama serve exited during start (log: $LOGF)"; }
    stop_port "$port" "$BIN"; die 6 "ollama serve not healthy within ${START_TIMEOUT}s (log: $LOGF)"
  fi
  # The chat template is inferred by Ollama from the GGUF's tokenizer.chat_template (ChatML for SmolLM2).
  # num_thread is the only thread control Ollama has (Modelfile PARAMETER or request options.num_thread);
  # without it the runner uses runtime.NumCPU() threads.
  mf="$RUN_DIR/ollama-$port.Modelfile"
  printf 'FROM %s\nPARAMETER num_thread %s\nPARAMETER num_ctx %s\n' "$model" "$THREADS" "$CTX" >"$mf"
  t0=$(now_ms)
  if ! client "$port" create "$name" -f "$mf" >>"$LOGF" 2>&1; then
    tail -n 15 "$LOGF" >&2 || true
    stop_port "$port" "$BIN"; die 7 "ollama create $name from $model failed (log: $LOGF)"
  fi
  has_model "$port" "$name" || { stop_port "$port" "$BIN"; die 7 "model $name missing from /api/tags after create"; }
  log "created model '$name' in $(( $(now_ms) - t0 )) ms"
  # Preload so the first request does not pay the model load.
  t0=$(now_ms)
  if ! curl -fsS --max-time "$START_TIMEOUT" -o /dev/null "http://127.0.0.1:$port/api/generate" \
      -d "{\"model\":\"$name\",\"keep_alive\":\"$KEEP_ALIVE\"}"; then
    tail -n 15 "$LOGF" >&2 || true
    stop_port "$port" "$BIN"; die 6 "preloading $name failed (log: $LOGF)"
  fi
  log "up: http://127.0.0.1:$port (pid $pid, model '$name' loaded in $(( $(now_ms) - t0 )) ms, num_thread $THREADS, num_ctx $CTX; log $LOGF)"
}

cmd_stop() {
  local p
  if [ -n "${1:-}" ]; then check_port "$1"; stop_port "$1" "$BIN"; return 0; fi
  for p in $(known_ports); do stop_port "$p" "$BIN"; done
}

cmd_status() {
  local p pid rc=0 any=0 name
  for p in ${1:-$(known_ports)}; do
    check_port "$p"; any=1
    pid="$(live_pid "$p" "$BIN")"
    if [ -z "$pid" ]; then echo "ollama port $p: not running"; rc=3; continue; fi
    name="$(cut -d' ' -f2 "$(state_file "$p")" 2>/dev/null || true)"
    if curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$p/api/version" && has_model "$p" "$name"; then
      echo "ollama port $p: up (pid $pid, model $name)"
    else
      echo "ollama port $p: pid $pid alive but not healthy (no /api/version or no model $name)"; (( rc == 3 )) || rc=1
    fi
  done
  [ "$any" = 1 ] || { echo "ollama: not running (no servers started by this script)"; rc=3; }
  return "$rc"
}

case "${1:-}" in
  install) cmd_install; printf '%s\n' "$BIN" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  path) [ -x "$BIN" ] || die 3 "not built; run: $0 install"; printf '%s\n' "$BIN" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
