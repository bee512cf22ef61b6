#!/usr/bin/env bash
# Upgrades: every shipped version (src/sql/shipped/) is installed in a fresh database that then gets stored
# models, views and a materialized view (fixture.sql); after ALTER EXTENSION loyalty UPDATE the database is at
# the default version, every query gives the same results as before (and after a refresh of the materialized
# view), and the extension's objects equal those of a fresh install of the default version. Comparing against
# "fresh default version" rather than a fixed list keeps this test valid as versions are added.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The shipped scripts are what users installed: they never change.
(cd "$ROOT/src/sql/shipped" && sha256sum --quiet -c SHA256SUMS) || { echo "FAILED: a shipped script changed" >&2; exit 1; }

target=$(default_version)
fresh_database loyalty_ops_fresh
sql loyalty_ops_fresh -c "CREATE EXTENSION loyalty"
sql loyalty_ops_fresh -f "$OPS/extension_objects.sql" >"$WORK/fresh.objects"

status=0
for script in "$ROOT"/src/sql/shipped/loyalty--*.sql; do
  from=${script##*/loyalty--}; from=${from%.sql}
  [ "$from" != "$target" ] || continue
  db=loyalty_ops_from_${from//./_}
  log "upgrade from $from to $target"
  fresh_database "$db"
  sql "$db" -c "CREATE EXTENSION loyalty VERSION '$from'"
  sql "$db" -f "$OPS/fixture.sql"
  sql "$db" -f "$OPS/results.sql" >"$WORK/before"
  sql "$db" -c "ALTER EXTENSION loyalty UPDATE"
  version=$(sql "$db" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'loyalty'")
  if [ "$version" != "$target" ]; then echo "FAILED: $from updated to $version, not $target" >&2; status=1; fi
  sql "$db" -f "$OPS/results.sql" >"$WORK/after"
  same "results before and after the update from $from" "$WORK/before" "$WORK/after" || status=1
  sql "$db" -c "REFRESH MATERIALIZED VIEW summary_scores"
  sql "$db" -f "$OPS/results.sql" >"$WORK/refreshed"
  same "results before the update from $from and after a refresh" "$WORK/before" "$WORK/refreshed" || status=1
  sql "$db" -f "$OPS/extension_objects.sql" >"$WORK/upgraded.objects"
  same "extension objects of a fresh $target and of $from updated" "$WORK/fresh.objects" "$WORK/upgraded.objects" \
    || status=1
  drop_database "$db"
done
drop_database loyalty_ops_fresh
exit $status
