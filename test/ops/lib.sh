# Shared by the operations tests (test/ops/*.sh): clients for the running test cluster and result comparison.
# Sourced, not run. The cluster is the one scripts/test.sh started: PGHOST, PGPORT and PGUSER are set.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"
: "${PGHOST:?run by scripts/test.sh, which starts a cluster and sets PGHOST, PGPORT and PGUSER}"
OPS=$ROOT/test/ops
BIN=$(pg_bindir)
export PGTZ=UTC PGOPTIONS='-c client_min_messages=warning'
WORK=$(mktemp -d /tmp/loyalty-ops.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# sql DB [psql arguments...]: psql on DB, quiet, stopping at the first error.
sql() { local db=$1; shift; "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
# fresh_database NAME: an empty database NAME (dropped first if it exists).
fresh_database() { "$BIN/dropdb" --if-exists "$1" && "$BIN/createdb" "$1"; }
drop_database() { "$BIN/dropdb" --if-exists "$1"; }

# same WHAT EXPECTED ACTUAL: passes when the two files are equal, else shows the first differences and fails.
same() {
  if cmp -s "$2" "$3"; then log "$1: equal ($(wc -l <"$2") lines)"; return 0; fi
  echo "FAILED: $1 differ:" >&2
  diff -u "$2" "$3" | head -40 >&2
  return 1
}

# The version a fresh CREATE EXTENSION installs.
default_version() { sed -n "s/^default_version = '\(.*\)'/\1/p" "$ROOT/loyalty.control"; }
