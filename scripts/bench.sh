#!/usr/bin/env bash
# Benchmarks (not tests): builds and installs the extension, starts a throwaway cluster and runs bench/*.bench
# (or the files named) side by side with their plain-SQL equivalents, printing median times and ratios.
#   scripts/bench.sh [bench/nps.bench ...]      BENCH_ROUNDS=N to change the number of rounds (default 7)
# Every file's cases run at PostgreSQL's default work_mem (4MB) and at a tuned 256MB, each reported on its own
# (BENCH_WORK_MEM=256MB or =4MB runs one of them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"
install_dependencies
build_and_install_extension
cluster=$(cluster_folder .pgbench)
start_cluster "$cluster"
trap 'stop_cluster "$cluster"' EXIT
# Settings for a fair, warm comparison: enough shared buffers to hold the tables, JIT off (also per session);
# the set-up statements get 256MB of work_mem, the timed cases the work_mem that bench/run.py sets.
psql -X -q -d postgres -c "ALTER SYSTEM SET shared_buffers = '2GB'" -c "ALTER SYSTEM SET jit = off" \
  -c "ALTER SYSTEM SET work_mem = '256MB'" -c "ALTER SYSTEM SET max_wal_size = '8GB'"
as_cluster_user "$(pg_bindir)/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -s restart
psql -X -q -d postgres -c "CREATE DATABASE loyalty_bench"
psql -X -q -d loyalty_bench -c "CREATE EXTENSION loyalty"
PGDATABASE=loyalty_bench python3 "$ROOT/bench/run.py" "$@"
