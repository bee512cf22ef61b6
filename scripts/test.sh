#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the C++ core's unit tests (GoogleTest via CTest),
# installs the extension and runs the SQL suite (pg_regress) and the integration tests (test/ops/*.sh: upgrade,
# dump and restore, memory; the bad-input matrix; a bounded sqlsmith run; examples/; the SQL examples of the
# docs; the report in headless Chromium) against a fresh throwaway cluster.
# Prints "loyalty: N passed, N failed, N skipped" last and exits non-zero on any failure. Tests that need the
# reference data (unit tests that call GTEST_SKIP, sql/*_cdnow.sql) are not run where it is absent and are
# counted as skipped, never as passed.
#   --sql-only   skip the unit tests;  --unit-only   skip the SQL and integration tests
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"
parts_option "$0" "$@"

# Tests on the public reference data read ../shared/data beside the checkout (or $LOYALTY_DATA_DIR) and are
# skipped where it is absent: the SQL ones are named sql/*_cdnow.sql.
export LOYALTY_DATA_DIR=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
have_data=1
if [ ! -d "$LOYALTY_DATA_DIR/cdnow" ]; then
  have_data=0
  log "reference data not found at $LOYALTY_DATA_DIR: the tests that need it are skipped"
fi

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

regress_total=0 regress_failed=0 regress_skipped=0 ops_total=0 ops_failed=0
if [ "$run_sql" -eq 1 ]; then
mkdir -p "$ROOT/build"

build_and_install_extension

cluster=$(cluster_folder .pgtest)
start_cluster "$cluster"
trap 'stop_cluster "$cluster"; rm -rf "$cluster"' EXIT

# Without the reference data, the suite is the Makefile's (install first, then name order) minus the data tests.
regress_override=()
if [ "$have_data" -eq 0 ]; then
  regress=(install) skipped=()
  for f in $(cd "$ROOT/sql" && LC_ALL=C ls *.sql); do
    name=${f%.sql}
    case "$name" in install) ;; *_cdnow) skipped+=("$name") ;; *) regress+=("$name") ;; esac
  done
  regress_skipped=${#skipped[@]}
  regress_override=(REGRESS="${regress[*]}")
  log "SQL tests skipped for lack of reference data: ${skipped[*]}"
fi

log "running the SQL regression suite"
regress_status=0
make -C "$ROOT" -s installcheck PG_CONFIG="$(pg_config_path)" "${regress_override[@]}" 2>&1 \
  | tee "$ROOT/build/regress.log" || regress_status=$?
[ "${PIPESTATUS[0]}" -eq 0 ] || regress_status=1
# pg_regress 15 prints one line a test: "test NAME ... ok" (or "     NAME ... ok" inside a parallel group).
regress_total=$(grep -cE '^(test +| +)[a-z0-9_]+ +\.\.\. ' "$ROOT/build/regress.log" || true)
regress_failed=$(grep -cE '^(test +| +)[a-z0-9_]+ +\.\.\. .*FAILED' "$ROOT/build/regress.log" || true)
if [ "$regress_status" -ne 0 ] && [ "$regress_failed" -eq 0 ]; then regress_failed=1; fi
if [ "$regress_status" -ne 0 ] && [ -f "$ROOT/regression.diffs" ]; then head -200 "$ROOT/regression.diffs"; fi

# Integration tests, each a script that prints its own "NAME: N passed, N failed" and exits non-zero on a
# failure; each counts as one test here. test/ops (upgrade, pg_dump/restore, memory), the bad-input matrix and
# the sqlsmith replay make their own databases in this cluster; examples/, the docs and the report start their
# own.
log "running the integration tests"
mkdir -p "$ROOT/build/ops"
integration_tests=("$ROOT"/test/ops/*.sh "$ROOT/test/bad_input/run.sh" "$ROOT/test/fuzz/sqlsmith.sh"
  "$ROOT/test/examples/run.sh" "$ROOT/test/docs/run.sh" "$ROOT/test/report/run.sh")
for script in "${integration_tests[@]}"; do
  [ -f "$script" ] || continue
  name=$(basename "$(dirname "$script")")/$(basename "$script" .sh)
  [ "$(basename "$script")" != lib.sh ] || continue
  ops_total=$((ops_total + 1))
  started=$SECONDS
  logfile="$ROOT/build/ops/${name//\//_}.log"
  if bash "$script" >"$logfile" 2>&1; then
    echo "integration test $name ... ok ($((SECONDS - started)) s): $(grep -E '^[a-z_]+: [0-9]+ passed' "$logfile" | tail -1)"
  else
    ops_failed=$((ops_failed + 1))
    echo "integration test $name ... FAILED ($((SECONDS - started)) s)"
    tail -40 "$logfile"
  fi
done
fi

unit_passed=$((unit_total - unit_failed - unit_skipped))
passed=$((unit_passed + regress_total - regress_failed + ops_total - ops_failed))
failed=$((unit_failed + regress_failed + ops_failed))
skipped=$((unit_skipped + regress_skipped))
echo "unit tests: $unit_passed passed, $unit_failed failed, $unit_skipped skipped;" \
  "SQL tests: $((regress_total - regress_failed)) passed, $regress_failed failed, $regress_skipped skipped;" \
  "integration tests: $((ops_total - ops_failed)) passed, $ops_failed failed"
echo "loyalty: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
