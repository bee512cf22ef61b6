#!/usr/bin/env bash
# The bad-input matrix (bad_input.py) in a fresh database of the running cluster (PGHOST/PGPORT/PGUSER, as
# scripts/test.sh sets them), against the installed extension. Prints "bad_input: N passed, N failed" last.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
db=loyalty_bad_input
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
PGDATABASE=$db psql -X -q -c "CREATE EXTENSION loyalty"
PGDATABASE=$db python3 "$HERE/bad_input.py" "$@"
