#!/usr/bin/env bash
# Runs the SQL examples of README.md and docs/*.md (test/docs/check_docs.py; the convention is in
# docs/contributing.md, "Examples in the docs") and compares what psql prints with the output each doc shows:
# a fresh database with the extension and the fixture tables (test/docs/fixtures.sql, and the CDNOW ones of
# test/docs/fixtures_cdnow.sql where ../shared/data is present) for every doc. Prints one line an example and
# "docs: N passed, N failed, N skipped" last; exits non-zero on any failure.
#
# Like test/examples/run.sh it starts its own cluster on the installed extension: run it after make install,
# as root (the cluster runs as the postgres user) or as the cluster's owner.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"
started=$SECONDS

if [ ! -f "$("$(pg_config_path)" --sharedir)/extension/loyalty.control" ]; then
  echo "the extension is not installed: run make install first" >&2
  exit 2
fi
export LOYALTY_DATA_DIR=${LOYALTY_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
have_cdnow=0
[ -r "$LOYALTY_DATA_DIR/cdnow/CDNOW_sample.txt" ] && have_cdnow=1

work=$(mktemp -d /tmp/loyalty-docs.XXXXXX)
chmod 755 "$work"  # the cluster user must reach the cluster inside it
cluster=$work/cluster
trap 'stop_cluster "$cluster"; rm -rf "$work"' EXIT
start_cluster "$cluster"
export PATH=$(pg_bindir):$PATH PGTZ=UTC

# The template every doc's database is copied from: the extension and the fixtures, loaded once.
template=loyalty_docs_template
createdb "$template"
psql -X -q -v ON_ERROR_STOP=1 -d "$template" -c "CREATE EXTENSION loyalty" -f "$ROOT/test/docs/fixtures.sql"
if [ "$have_cdnow" -eq 1 ]; then
  # \copy reads relative to psql's folder
  (cd "$LOYALTY_DATA_DIR/cdnow" && psql -X -q -v ON_ERROR_STOP=1 -d "$template" -f "$ROOT/test/docs/fixtures_cdnow.sql")
else
  log "reference data not found at $LOYALTY_DATA_DIR: the CDNOW examples are skipped"
fi

status=0
/usr/bin/python3 "$ROOT/test/docs/check_docs.py" "$template" "$have_cdnow" "$ROOT/README.md" "$ROOT"/docs/*.md \
  || status=$?
echo "docs test took $((SECONDS - started)) s"
exit $status
