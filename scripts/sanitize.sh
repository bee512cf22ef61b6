#!/usr/bin/env bash
# The tests under AddressSanitizer and UndefinedBehaviorSanitizer (not part of scripts/test.sh: the
# instrumented builds take several minutes):
#  1. the core's unit tests, built with -fsanitize=address,undefined;
#  2. the SQL suite against an extension built with them, in a throwaway server that has the ASan runtime
#     preloaded (LD_PRELOAD), since the postgres binary itself is not instrumented.
# Any report fails the run (halt_on_error; UBSan made fatal). Builds happen in a copy of the tree, so that the
# in-tree PGXS objects of a normal build are not mixed with instrumented ones; the instrumented extension is
# installed, so run the normal build's `make install` (or scripts/test.sh) afterwards.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"
install_dependencies
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LOYALTY_DATA_DIR=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}

work=$(mktemp -d /tmp/loyalty-sanitize.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
git -C "$ROOT" ls-files -z | (cd "$ROOT" && xargs -0 tar -c) | tar -x -C "$work"

log "unit tests under ASan+UBSan"
cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$SAN" >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
(cd "$work/build" && ctest --output-on-failure -j"$(nproc)") | tail -3

log "SQL suite against an ASan+UBSan build of the extension"
make -C "$work" -s -j"$(nproc)" PG_CONFIG="$(pg_config_path)" PG_CXXFLAGS="-std=c++17 -Wno-register $SAN" \
  SHLIB_LINK="-lasan -lubsan -lstdc++ -lnlopt -Wl,--version-script=$work/src/pg/exports.map" >/dev/null
as_root make -C "$work" -s install PG_CONFIG="$(pg_config_path)" >/dev/null
asan_runtime=$(gcc -print-file-name=libasan.so)
cluster=$work/.pgsan
mkdir -p "$cluster"
[ "$(id -u)" -ne 0 ] || chown postgres: "$cluster"
start_cluster "$cluster"
trap 'stop_cluster "$cluster"; rm -rf "$work"' EXIT
# Restarted with the ASan runtime loaded first into the server and every backend it forks (not into initdb,
# whose single-user bootstrap under the preloaded runtime stalls); reports go to files in the cluster folder.
stop_cluster "$cluster"
as_cluster_user env LD_PRELOAD="$asan_runtime" ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$cluster/asan" \
  UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$cluster/ubsan" \
  "$(pg_bindir)/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -s -t 120 \
  -o "-c port=$PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$cluster -c jit=off" start
status=0
make -C "$work" -s installcheck PG_CONFIG="$(pg_config_path)" || status=$?
stop_cluster "$cluster"
if ls "$cluster"/asan* "$cluster"/ubsan* >/dev/null 2>&1; then
  cat "$cluster"/asan* "$cluster"/ubsan* 2>/dev/null | head -100
  status=1
fi
grep -h "runtime error" "$cluster/server.log" && status=1
[ "$status" -eq 0 ] && echo "sanitize: 2 passed, 0 failed" || echo "sanitize: failed"
exit "$status"
