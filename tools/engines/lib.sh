# shellcheck shell=bash
# Shared helpers for tools/engines/*.sh. Sourced, never run.
#
# Environment (all optional):
#   LLMPOOL_CACHE_DIR            cache root (default $HOME/.cache/llm-pool); builds go to <root>/engines/...
#   LLMPOOL_ENGINES_RUN_DIR      pid files, logs, Modelfiles (default ${TMPDIR:-/tmp}/llm-pool-engines)
#   LLMPOOL_ENGINE_THREADS       CPU threads for generation (default 1: on 2-core machines more is far slower)
#   LLMPOOL_ENGINE_CTX           context size (default 2048)
#   LLMPOOL_ENGINE_START_TIMEOUT seconds to wait for health after start (default 120)
#   LLMPOOL_MODEL                model path when `start` gets none
#
# Exit codes shared by the engine scripts:
#   0 ok (status: running and healthy)   1 status: process alive but not healthy / other error
#   2 usage                              3 status: not running
#   4 model file missing/unreadable      5 install/build failed (or a needed tool is missing)
#   6 start failed (port in use, process died, not healthy in time)
#   7 model registration failed (ollama create)

# shellcheck disable=SC2034  # used by the sourcing scripts
ENGINES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$ENGINES_DIR/../.." && pwd)"
CACHE_ROOT="${LLMPOOL_CACHE_DIR:-$HOME/.cache/llm-pool}/engines"
RUN_DIR="${LLMPOOL_ENGINES_RUN_DIR:-${TMPDIR:-/tmp}/llm-pool-engines}"
THREADS="${LLMPOOL_ENGINE_THREADS:-1}"
CTX="${LLMPOOL_ENGINE_CTX:-2048}"
START_TIMEOUT="${LLMPOOL_ENGINE_START_TIMEOUT:-120}"

log() { printf '[%s] %s\n' "$ENGINE" "$*" >&2; }
die() { local code="$1"; shift; printf '[%s] error: %s\n' "$ENGINE" "$*" >&2; exit "$code"; }

need() {
  local t
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || die 5 "'$t' is required but not on PATH"; done
}

check_port() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )) || die 2 "PORT must be a number 1-65535, got '${1:-}'"
}

# Absolute, readable GGUF path (from the argument or $LLMPOOL_MODEL).
resolve_model() {
  local m="${1:-${LLMPOOL_MODEL:-}}"
  [ -n "$m" ] || die 2 "no model: pass MODEL_PATH or set LLMPOOL_MODEL"
  [ -f "$m" ] && [ -r "$m" ] || die 4 "model file not found or unreadable: $m"
  [ "$(head -c 4 "$m")" = "GGUF" ] || die 4 "not a GGUF file: $m"
  printf '%s/%s\n' "$(cd "$(dirname "$m")" && pwd)" "$(basename "$m")"
}

# Default model name from the file name: lowercase, [a-z0-9_-] only.
default_name() {
  local b; b="$(basename "$1" .gguf)"
  printf '%s\n' "$b" | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9_-]/-/g' -e 's/--*/-/g' -e 's/^-//' -e 's/-$//'
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_file()   { printf '%s/%s-%s.pid\n' "$RUN_DIR" "$ENGINE" "$1"; }
log_file()   { printf '%s/%s-%s.log\n' "$RUN_DIR" "$ENGINE" "$1"; }
state_file() { printf '%s/%s-%s.state\n' "$RUN_DIR" "$ENGINE" "$1"; }

# PID recorded for PORT if that process is still alive and is our binary ($2), else empty.
live_pid() {
  local pf pid; pf="$(pid_file "$1")"
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [ -r "/proc/$pid/cmdline" ] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 0
  printf '%s\n' "$pid"
}

# Start "$@" detached in its own session (so its children can be stopped with it);
# prints the PID. stdout/stderr go to $LOGF.
spawn() {
  mkdir -p "$RUN_DIR"
  setsid "$@" </dev/null >>"$LOGF" 2>&1 &
  printf '%s\n' "$!"
}

# Wait until URL answers 200, the PID dies, or START_TIMEOUT passes.
wait_healthy() {
  local url="$1" pid="$2" deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.3
  done
  return 2
}

# Stop the process recorded for PORT (only if it is still our binary), with its process group
# when it leads one (it does: spawn uses setsid). TERM, then KILL after 15 s.
stop_port() {
  local port="$1" bin="$2" pid pgid i
  pid="$(live_pid "$port" "$bin")"
  if [ -z "$pid" ]; then
    rm -f "$(pid_file "$port")" "$(state_file "$port")"
    log "not running on port $port"
    return 0
  fi
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  if [ "$pgid" = "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored TERM; sending KILL"
    if [ "$pgid" = "$pid" ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$(pid_file "$port")" "$(state_file "$port")"
  log "stopped pid $pid (port $port)"
}

# Ports this engine has pid files for.
known_ports() {
  local f
  for f in "$RUN_DIR/$ENGINE"-*.pid; do
    [ -e "$f" ] || continue
    f="${f##*/"$ENGINE"-}"; printf '%s\n' "${f%.pid}"
  done
}

now_ms() { date +%s%3N; }
