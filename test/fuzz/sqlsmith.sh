#!/usr/bin/env bash
# Fuzzing with sqlsmith (Debian package), bounded: generates QUERIES random queries (--dry-run) against a
# database holding the extension and small sample tables, then replays those that call the extension
# (replay.py). Expects a running server (PGHOST/PGPORT/PGUSER), e.g. the cluster of scripts/test.sh.
#   test/fuzz/sqlsmith.sh [QUERIES [SEED]]     defaults: 3000 queries, seed 1 (the CI run)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"
DEBIAN_PACKAGES=(sqlsmith python3)
install_dependencies
queries=${1:-3000}
seed=${2:-1}
db=loyalty_fuzz
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export PGDATABASE=$db
psql -X -q -v ON_ERROR_STOP=1 -f "$HERE/sample_tables.sql"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
sqlsmith --target="dbname=$db host=$PGHOST port=$PGPORT user=$PGUSER" --dry-run --exclude-catalog \
  --max-queries="$queries" --seed="$seed" >"$out" 2>/dev/null || true
python3 "$HERE/replay.py" "$out"
