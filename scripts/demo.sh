#!/usr/bin/env bash
# Set-up and demo: installs what is missing (Debian packages), builds and installs the extension, starts a
# throwaway PostgreSQL in .pgdata/ inside the checkout (as an unprivileged user, on a free local port), makes
# sample data and runs the demo queries of scripts/demo/*.sql in order. Safe to re-run: it starts afresh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/common.sh"

install_dependencies
build_and_install_extension
cluster=$(cluster_folder .pgdata)
start_cluster "$cluster"
psql -X -q -d postgres -c "CREATE DATABASE loyalty_demo"
export PGDATABASE=loyalty_demo
export PGOPTIONS="-c client_min_messages=warning"  # no "does not exist, skipping" notices
psql -X -q -c "CREATE EXTENSION loyalty"
for piece in "$ROOT"/scripts/demo/*.sql; do
  psql -X -v ON_ERROR_STOP=1 -P footer=off -f "$piece"
done
cat <<MSG

The demo server keeps running. Connect with:
  psql -h $PGHOST -p $PGPORT -U $PGUSER loyalty_demo
Stop it with:
  $( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres -- " )$(pg_bindir)/pg_ctl -D $cluster/data stop
MSG
