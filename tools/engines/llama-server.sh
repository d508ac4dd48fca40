#!/usr/bin/env bash
# llama.cpp's llama-server (OpenAI-compatible), built from the llama.cpp source that the npm package
# node-llama-cpp@3.21.1 carries (llama/gitRelease.bundle), cached by that source's tag and commit.
#
#   llama-server.sh install                    build or find the cached binary; prints its path
#   llama-server.sh start PORT [MODEL] [NAME]  start on 127.0.0.1:PORT with MODEL (or $LLMPOOL_MODEL),
#                                              served under NAME (default: from the file name); waits for /health
#   llama-server.sh stop [PORT]                stop the server started on PORT (default: every one this script started)
#   llama-server.sh status [PORT]              print whether it is up (exit 0 up, 1 unhealthy, 3 not running)
#   llama-server.sh path                       print the cached binary's path (exit 3 if not built)
#
# Environment: see lib.sh, plus
#   LLMPOOL_NLC_VERSION   node-llama-cpp version whose llama.cpp is built (default 3.21.1)
#   NODE_LLAMA_CPP_DIR    an installed node-llama-cpp package dir to take the bundle from (else the clone's
#                         node_modules, else `npm pack` into the cache)
#   LLMPOOL_ENGINE_SEED   server default seed for requests that send none (default 1)
#   LLMPOOL_KEEP_BUILD=1  keep the source and build tree in the cache after a successful build
set -euo pipefail
ENGINE=llama-server
# shellcheck source=lib.sh disable=SC2034
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NLC_VERSION="${LLMPOOL_NLC_VERSION:-3.21.1}"
BASE="$CACHE_ROOT/llama-server"
POINTER="$BASE/node-llama-cpp-$NLC_VERSION.key"   # "<tag>-<commit12>" of the bundle in that npm version

# Cached binary for NLC_VERSION, or empty.
cached_bin() {
  local key
  [ -f "$POINTER" ] || return 0
  key="$(cat "$POINTER")"
  [ -x "$BASE/$key/bin/llama-server" ] && printf '%s\n' "$BASE/$key/bin/llama-server"
  return 0
}

# Directory of a node-llama-cpp@NLC_VERSION package that has llama/gitRelease.bundle.
find_nlc() {
  local d
  for d in "${NODE_LLAMA_CPP_DIR:-}" "$REPO_ROOT/node_modules/node-llama-cpp" \
           "$REPO_ROOT/libs/providers/node_modules/node-llama-cpp" "$BASE/npm/$NLC_VERSION/package"; do
    [ -n "$d" ] && [ -f "$d/llama/gitRelease.bundle" ] && [ -f "$d/package.json" ] || continue
    grep -q "\"version\": *\"$NLC_VERSION\"" "$d/package.json" && { printf '%s\n' "$d"; return 0; }
  done
  need npm tar
  log "fetching node-llama-cpp@$NLC_VERSION with npm pack (for its llama.cpp source bundle)"
  d="$BASE/npm/$NLC_VERSION"
  rm -rf "$d" && mkdir -p "$d"
  (cd "$d" && npm pack --silent "node-llama-cpp@$NLC_VERSION" >/dev/null) || die 5 "npm pack node-llama-cpp@$NLC_VERSION failed"
  tar -xzf "$d"/node-llama-cpp-*.tgz -C "$d" package/package.json package/llama || die 5 "cannot unpack the node-llama-cpp tarball"
  rm -f "$d"/node-llama-cpp-*.tgz
  [ -f "$d/package/llama/gitRelease.bundle" ] || die 5 "node-llama-cpp@$NLC_VERSION has no llama/gitRelease.bundle"
  printf '%s\n' "$d/package"
}

cmd_install() {
  local bin nlc bundle tag commit key work t0 jobs
  bin="$(cached_bin)"
  if [ -n "$bin" ]; then log "cached: $bin ($(cat "$POINTER"))"; printf '%s\n' "$bin"; return 0; fi
  need git cmake make cc c++
  nlc="$(find_nlc)"
  bundle="$nlc/llama/gitRelease.bundle"
  commit="$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')"
  [ -n "$commit" ] || commit="$(git bundle list-heads "$bundle" | awk 'NR == 1 { print $1 }')"
  [[ "$commit" =~ ^[0-9a-f]{40}$ ]] || die 5 "cannot read the commit of $bundle"
  tag="$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$nlc/llama/llama.cpp.info.json" 2>/dev/null | head -n1)"
  key="${tag:-untagged}-${commit:0:12}"
  work="$BASE/$key"
  if [ -x "$work/bin/llama-server" ]; then
    mkdir -p "$BASE" && printf '%s\n' "$key" >"$POINTER"
    log "cached: $work/bin/llama-server ($key)"; printf '%s\n' "$work/bin/llama-server"; return 0
  fi
  jobs="${LLMPOOL_BUILD_JOBS:-$(nproc)}"
  log "building llama-server $key from $bundle (-j$jobs; ~8-10 min on 2 cores)"
  t0=$SECONDS
  mkdir -p "$work"
  rm -rf "$work/src"
  git clone -q "$bundle" "$work/src" 2>/dev/null || die 5 "git clone of $bundle failed"
  git -C "$work/src" -c advice.detachedHead=false checkout -q "$commit" || die 5 "checkout $commit failed"
  cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    >"$work/cmake-configure.log" 2>&1 || { tail -n 30 "$work/cmake-configure.log" >&2; die 5 "cmake configure failed (log: $work/cmake-configure.log)"; }
  cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/cmake-build.log" 2>&1 \
    || { tail -n 40 "$work/cmake-build.log" >&2; die 5 "build failed (log: $work/cmake-build.log)"; }
  mkdir -p "$work/bin"
  install -m 0755 "$work/build/bin/llama-server" "$work/bin/llama-server.tmp"
  "$work/bin/llama-server.tmp" --version >"$work/version.txt" 2>&1 || die 5 "built binary does not run: $(cat "$work/version.txt")"
  mv -f "$work/bin/llama-server.tmp" "$work/bin/llama-server"
  printf 'node-llama-cpp %s\ntag %s\ncommit %s\nbuild_seconds %s\n' "$NLC_VERSION" "$tag" "$commit" "$((SECONDS - t0))" >"$work/BUILD-INFO"
  [ "${LLMPOOL_KEEP_BUILD:-0}" = 1 ] || rm -rf "$work/src" "$work/build"
  printf '%s\n' "$key" >"$POINTER"
  log "built $work/bin/llama-server in $((SECONDS - t0)) s"
  printf '%s\n' "$work/bin/llama-server"
}

cmd_start() {
  local port="${1:-}" model name bin pid rc st
  check_port "$port"
  model="$(resolve_model "${2:-}")"
  name="${3:-$(default_name "$model")}"
  need curl setsid
  bin="$(cmd_install)"
  mkdir -p "$RUN_DIR"
  pid="$(live_pid "$port" "$bin")"
  if [ -n "$pid" ]; then
    st="$(cat "$(state_file "$port")" 2>/dev/null || true)"
    [ "$st" = "$model $name" ] || die 6 "port $port already runs pid $pid with '$st'; stop it first"
    log "already running on port $port (pid $pid, $name)"; return 0
  fi
  port_in_use "$port" && die 6 "port $port on 127.0.0.1 is already in use by another process"
  LOGF="$(log_file "$port")"; : >"$LOGF"
  # LLMPOOL_LLAMA_SERVER_ARGS: extra flags, split on spaces on purpose.
  # shellcheck disable=SC2086
  pid="$(spawn "$bin" -m "$model" -a "$name" --host 127.0.0.1 --port "$port" \
    -t "$THREADS" -tb "$THREADS" -c "$CTX" -np 1 --seed "${LLMPOOL_ENGINE_SEED:-1}" --no-webui \
    ${LLMPOOL_LLAMA_SERVER_ARGS:-})"
  printf '%s\n' "$pid" >"$(pid_file "$port")"
  printf '%s %s\n' "$model" "$name" >"$(state_file "$port")"
  rc=0; wait_healthy "http://127.0.0.1:$port/health" "$pid" || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 25 "$LOGF" >&2 || true
    [ "$rc" = 1 ] && { rm -f "$(pid_file "$port")" "$(state_file "$port")"; die 6 "llama-server exited during start (log: $LOGF)"; }
    stop_port "$port" "$bin"; die 6 "llama-server not healthy within ${START_TIMEOUT}s (log: $LOGF)"
  fi
  log "up: http://127.0.0.1:$port (pid $pid, model '$name' from $model, threads $THREADS, ctx $CTX; log $LOGF)"
}

cmd_stop() {
  local bin p
  bin="$(cached_bin)"; bin="${bin:-$BASE/}"
  if [ -n "${1:-}" ]; then check_port "$1"; stop_port "$1" "$bin"; return 0; fi
  for p in $(known_ports); do stop_port "$p" "$bin"; done
}

cmd_status() {
  local bin p pid rc=0 any=0
  bin="$(cached_bin)"; bin="${bin:-$BASE/}"
  for p in ${1:-$(known_ports)}; do
    check_port "$p"; any=1
    pid="$(live_pid "$p" "$bin")"
    if [ -z "$pid" ]; then echo "llama-server port $p: not running"; rc=3; continue; fi
    if curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$p/health"; then
      echo "llama-server port $p: up (pid $pid, model $(cut -d' ' -f2 "$(state_file "$p")" 2>/dev/null || true))"
    else
      echo "llama-server port $p: pid $pid alive but /health not ok"; (( rc == 3 )) || rc=1
    fi
  done
  [ "$any" = 1 ] || { echo "llama-server: not running (no servers started by this script)"; rc=3; }
  return "$rc"
}

case "${1:-}" in
  install) cmd_install >/dev/null; cached_bin ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  path) b="$(cached_bin)"; [ -n "$b" ] || die 3 "not built; run: $0 install"; printf '%s\n' "$b" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
