#!/usr/bin/env bash
# Dump and restore: a database with the extension, stored models, views and a materialized view (fixture.sql),
# dumped with pg_dump and restored into a fresh database, gives the same query results.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fresh_database loyalty_ops_dumped
sql loyalty_ops_dumped -c "CREATE EXTENSION loyalty"
sql loyalty_ops_dumped -f "$OPS/fixture.sql"
sql loyalty_ops_dumped -f "$OPS/results.sql" >"$WORK/before"
"$BIN/pg_dump" --format=custom --file="$WORK/dump" loyalty_ops_dumped

fresh_database loyalty_ops_restored
# The restore re-creates the extension, the tables (models as composite text), the views, and refreshes the
# materialized view, which fits a model again.
"$BIN/pg_restore" --exit-on-error --single-transaction --dbname=loyalty_ops_restored "$WORK/dump"
sql loyalty_ops_restored -f "$OPS/results.sql" >"$WORK/after"
status=0
same "results before the dump and after the restore" "$WORK/before" "$WORK/after" || status=1
drop_database loyalty_ops_dumped
drop_database loyalty_ops_restored
exit $status
