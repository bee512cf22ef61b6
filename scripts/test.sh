#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the C++ core's unit tests (GoogleTest via CTest),
# installs the extension and runs the SQL suite (pg_regress) against a fresh throwaway cluster.
# Prints "loyalty: N passed, N failed, N skipped" last and exits non-zero on any failure.
#   --sql-only   skip the unit tests;  --unit-only   skip the SQL suite
set -euo pipefail
run_unit=1 run_sql=1
case "${1:-}" in
  --sql-only) run_unit=0 ;;
  --unit-only) run_sql=0 ;;
  "") ;;
  *) echo "usage: $0 [--sql-only|--unit-only]" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"

# Tests on the public reference data read ../shared/data beside the checkout and skip where it is absent.
export LOYALTY_DATA_DIR=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
[ -d "$LOYALTY_DATA_DIR" ] || log "reference data not found at $LOYALTY_DATA_DIR: the tests that need it are skipped"

install_dependencies

unit_total=0 unit_failed=0 unit_skipped=0
if [ "$run_unit" -eq 1 ]; then
log "building the core and its unit tests"
build=$ROOT/build/tests
cmake -S "$ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
log "running the unit tests"
rm -f "$build/junit.xml"
unit_status=0
(cd "$build" && ctest --output-on-failure --output-junit junit.xml -j"$(nproc)") || unit_status=$?
# The first occurrence of an attribute is the <testsuite> element's total.
junit_count() { grep -o -m1 " *$1=\"[0-9]*\"" "$build/junit.xml" | head -1 | tr -dc '0-9'; }
unit_total=$(junit_count tests); unit_failed=$(junit_count failures); unit_skipped=$(junit_count skipped)
unit_total=${unit_total:-0}; unit_failed=${unit_failed:-0}; unit_skipped=${unit_skipped:-0}
if [ "$unit_status" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then unit_failed=1; fi
fi

regress_total=0 regress_failed=0
if [ "$run_sql" -eq 1 ]; then
mkdir -p "$ROOT/build"

build_and_install_extension

cluster=$(cluster_folder .pgtest)
start_cluster "$cluster"
trap 'stop_cluster "$cluster"; rm -rf "$cluster"' EXIT

log "running the SQL regression suite"
regress_status=0
make -C "$ROOT" -s installcheck PG_CONFIG="$(pg_config_path)" 2>&1 | tee "$ROOT/build/regress.log" || regress_status=$?
[ "${PIPESTATUS[0]}" -eq 0 ] || regress_status=1
# pg_regress 15 prints one line a test: "test NAME ... ok" (or "     NAME ... ok" inside a parallel group).
regress_total=$(grep -cE '^(test +| +)[a-z0-9_]+ +\.\.\. ' "$ROOT/build/regress.log" || true)
regress_failed=$(grep -cE '^(test +| +)[a-z0-9_]+ +\.\.\. .*FAILED' "$ROOT/build/regress.log" || true)
if [ "$regress_status" -ne 0 ] && [ "$regress_failed" -eq 0 ]; then regress_failed=1; fi
if [ "$regress_status" -ne 0 ] && [ -f "$ROOT/regression.diffs" ]; then head -200 "$ROOT/regression.diffs"; fi
fi

passed=$((unit_total - unit_failed - unit_skipped + regress_total - regress_failed))
failed=$((unit_failed + regress_failed))
echo "unit tests: $((unit_total - unit_failed - unit_skipped)) passed, $unit_failed failed, $unit_skipped skipped;" \
  "SQL tests: $((regress_total - regress_failed)) passed, $regress_failed failed"
echo "loyalty: $passed passed, $failed failed, $unit_skipped skipped"
[ "$failed" -eq 0 ]
