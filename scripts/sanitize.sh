#!/usr/bin/env bash
# The tests under AddressSanitizer and UndefinedBehaviorSanitizer (not part of scripts/test.sh: the
# instrumented builds take several minutes):
#  1. the core's unit tests, built with -fsanitize=address,undefined;
#  2. the SQL suite against an extension built with them, in a throwaway server that has the ASan runtime
#     preloaded (LD_PRELOAD), since the postgres binary itself is not instrumented.
# Any report fails the run (halt_on_error; UBSan made fatal). Builds happen in a copy of the tree, so that the
# in-tree PGXS objects of a normal build are not mixed with instrumented ones; the instrumented extension is
# installed, so run the normal build's `make install` (or scripts/test.sh) afterwards.
#   --unit-only   only the unit tests;  --sql-only   only the SQL suite
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"
parts_option "$0" "$@"
install_dependencies
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LOYALTY_DATA_DIR=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}

work=$(mktemp -d /tmp/loyalty-sanitize.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
git -C "$ROOT" ls-files -z | (cd "$ROOT" && xargs -0 tar -c) | tar -x -C "$work"

if [ "$run_unit" -eq 1 ]; then
  log "unit tests under ASan+UBSan"
  cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$SAN" >/dev/null
  cmake --build "$work/build" -j"$(nproc)" >/dev/null
  (cd "$work/build" && ctest --output-on-failure -j"$(nproc)") | tail -3
fi
[ "$run_sql" -eq 1 ] || { echo "sanitize: 1 passed, 0 failed"; exit 0; }

log "SQL suite against an ASan+UBSan build of the extension"
make -C "$work" -s -j"$(nproc)" PG_CONFIG="$(pg_config_path)" PG_CXXFLAGS="-std=c++17 -Wno-register $SAN" \
  SHLIB_LINK="-lasan -lubsan -lstdc++ -lnlopt -Wl,--version-script=$work/src/pg/exports.map" >/dev/null
as_root make -C "$work" -s install PG_CONFIG="$(pg_config_path)" >/dev/null
asan_runtime=$(gcc -print-file-name=libasan.so)
# Preloaded after the runtime: without it the runtime's lazy start corrupts a glibc lock and the server hangs
# before its first line (the reason is in the file).
gcc -shared -fPIC -O2 -o "$work/swift_demangle_stub.so" "$ROOT/scripts/lib/swift_demangle_stub.c"
cluster=$work/.pgsan
mkdir -p "$cluster"
[ "$(id -u)" -ne 0 ] || chown postgres: "$cluster"
# initdb and a first start without the runtime (initdb's single-user bootstrap stalls under it), then the
# server is restarted with the runtime preloaded.
start_cluster "$cluster"
stop_cluster "$cluster"
# The instrumented server: the postmaster started directly, with LD_PRELOAD and the sanitizers' options in its
# environment alone, so that every backend it forks inherits them and no other program (pg_ctl, psql,
# pg_regress) runs under the runtime. Reports go to files in the cluster folder. Every wait is bounded: the
# start, the suite (SANITIZE_SQL_TIMEOUT seconds) and the stop, which falls back to an immediate shutdown of
# this server alone (its pid from postmaster.pid).
server_pid=
stop_instrumented() {
  [ -n "$server_pid" ] || return 0
  local pid
  pid=$(head -1 "$cluster/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    as_cluster_user "$(pg_bindir)/pg_ctl" -D "$cluster/data" -m fast -w -s -t 60 stop ||
      { kill -QUIT "$pid" 2>/dev/null || true; }
  fi
  # The server's own process group (below): a server that hangs before writing postmaster.pid goes too.
  timeout 30 tail --pid="$server_pid" -f /dev/null || kill -KILL -- -"$server_pid" 2>/dev/null || true
  server_pid=
}
trap 'stop_instrumented; rm -rf "$work"' EXIT
set -m  # the server in a process group of its own, whose id is $!
as_cluster_user env LD_PRELOAD="$asan_runtime $work/swift_demangle_stub.so" \
  ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$cluster/asan" UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$cluster/ubsan" \
  "$(pg_bindir)/postgres" -D "$cluster/data" -c port="$PGPORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$cluster" -c jit=off >"$cluster/server.log" 2>&1 &
server_pid=$!
set +m
deadline=$((SECONDS + 120))
until "$(pg_bindir)/pg_isready" -q -h "$cluster" -p "$PGPORT" -t 2; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "the instrumented server did not start within 120 s:" >&2
    tail -20 "$cluster/server.log" >&2
    exit 1
  fi
  sleep 1
done
log "instrumented server running (pid $server_pid, port $PGPORT)"
status=0
timeout --kill-after=30 "${SANITIZE_SQL_TIMEOUT:-3600}" \
  make -C "$work" -s installcheck PG_CONFIG="$(pg_config_path)" || status=$?
[ "$status" -ne 124 ] || echo "the SQL suite did not finish within ${SANITIZE_SQL_TIMEOUT:-3600} s" >&2
[ "$status" -eq 0 ] || { [ -f "$work/regression.diffs" ] && head -100 "$work/regression.diffs"; }
stop_instrumented
if ls "$cluster"/asan* "$cluster"/ubsan* >/dev/null 2>&1; then
  cat "$cluster"/asan* "$cluster"/ubsan* 2>/dev/null | head -100
  status=1
fi
grep -h "runtime error" "$cluster/server.log" && status=1
parts=$((run_unit + run_sql))
[ "$status" -eq 0 ] && echo "sanitize: $parts passed, 0 failed" || echo "sanitize: failed"
exit "$status"
