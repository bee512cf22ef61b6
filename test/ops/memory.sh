#!/usr/bin/env bash
# Memory: repeated model fits in one session do not grow the backend's memory, neither the memory contexts
# PostgreSQL manages (pg_backend_memory_contexts) nor the process's private heap, where the C++ core allocates
# (RssAnon of /proc/self/status, read by the backend itself). Two kinds of call, one after the other, each
# warmed up (the library is loaded, caches fill, malloc settles) and then measured over 50 more:
#   fits       a round that fits every model once (6 fits, so 300 measured); warmed up over 100 rounds;
#   cancelled  a Pareto/NBD fit that statement_timeout cancels in the middle of its optimisation, the error path
#              across the C++/PostgreSQL boundary; warmed up over 50.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Tolerances. Contexts grow in blocks of 8 kB or more: measured -8 to +25 kB over 50 calls once warm; 64 kB is
# what leaking 0.2 kB a fit would add. The heap is noisier: malloc's high-water mark moves in steps of 100 to
# 600 kB as its free space fragments (a cancel stops wherever the timer fires), up and down (measured -550 to
# +560 kB over 50 calls of either kind once warm, flat over 200 calls in a quiet run). 1 MB allows such a step;
# leaking the rows of each fit (5,000 to 20,000 rows of 32 bytes) would add 8 to 32 MB, and any C++ leak of
# 3.4 kB a fit 1 MB.
CONTEXT_TOLERANCE=$((64 * 1024)) HEAP_TOLERANCE=$((1024 * 1024))

db=loyalty_ops_memory
fresh_database $db
sql $db <<'SQL'
CREATE EXTENSION loyalty;
CREATE TABLE customers AS SELECT * FROM bgnbd_simulate(0.25, 4.0, 0.8, 2.5, 39, 5000, 1, 6.0, 4.0, 15.0);
CREATE TABLE donors AS SELECT * FROM bgbb_simulate(1.2, 0.75, 0.66, 2.8, 6, 2000, 2);
CREATE TABLE subscribers AS
SELECT 1 + (i * 7) % 9 AS tenure, (i * 13) % 5 < 2 AS churned FROM generate_series(1, 2000) AS i;
-- A Pareto/NBD fit of these takes about 60 ms, 3 times the timeout that cancels it; reading them takes 5 ms.
CREATE TABLE many_customers AS SELECT * FROM pareto_nbd_simulate(0.55, 10.6, 0.61, 11.7, 39, 20000, 3);
-- Statistics now, not from autovacuum during the measurement: the planner caches them once they exist (500 kB
-- of contexts in one run where autoanalyze came in the middle).
VACUUM ANALYZE;
CREATE VIEW backend_memory AS
SELECT (SELECT sum(total_bytes) FROM pg_backend_memory_contexts)::bigint AS context_bytes,
       1024 * substring(pg_read_file('/proc/self/status') FROM 'RssAnon:\s+(\d+) kB')::bigint AS heap_bytes;
SQL

fits() {
  for _ in $(seq 50); do
    cat <<'SQL'
SELECT bgnbd_fit(frequency, recency, t) FROM customers;
SELECT mbgnbd_fit(frequency, recency, t) FROM customers;
SELECT pareto_nbd_fit(frequency, recency, t) FROM customers;
SELECT gamma_gamma_fit(frequency, monetary) FROM customers;
SELECT bgbb_fit(frequency, recency, n_periods) FROM donors;
SELECT sbg_fit(tenure, churned) FROM subscribers;
SQL
  done
}
cancelled() {
  for _ in $(seq 50); do
    cat <<'SQL'
SET statement_timeout = '20ms';
DO $$ BEGIN
  PERFORM pareto_nbd_fit(frequency, recency, t) FROM many_customers;
  RAISE WARNING 'a fit meant to be cancelled finished';
EXCEPTION WHEN query_canceled THEN NULL;  -- the session goes on
END $$;
RESET statement_timeout;
SQL
  done
}
reading() { echo "SELECT context_bytes AS context_$1, heap_bytes AS heap_$1 FROM backend_memory \\gset"; }
{
  echo '\o /dev/null'
  fits; fits
  reading fits_warm
  fits
  reading fits
  cancelled
  reading cancelled_warm
  cancelled
  reading cancelled
  echo '\o'
  echo '\echo fits :context_fits_warm :context_fits :heap_fits_warm :heap_fits'
  echo '\echo cancelled :context_cancelled_warm :context_cancelled :heap_cancelled_warm :heap_cancelled'
} >"$WORK/session.sql"
session_status=0
sql $db -f "$WORK/session.sql" >"$WORK/measured" 2>"$WORK/stderr" || session_status=$?
if [ -s "$WORK/stderr" ]; then cat "$WORK/stderr" >&2; fi
drop_database $db
[ "$session_status" -eq 0 ] || { echo "FAILED: the session stopped with an error" >&2; exit 1; }

status=0
if grep -q 'meant to be cancelled' "$WORK/stderr"; then echo "FAILED: a fit was not cancelled" >&2; status=1; fi
while read -r kind context_before context_after heap_before heap_after; do
  context_growth=$((context_after - context_before)) heap_growth=$((heap_after - heap_before))
  log "50 $kind after warming up: memory contexts $context_before -> $context_after bytes ($context_growth)," \
    "private heap $heap_before -> $heap_after bytes ($heap_growth)"
  if [ "$context_growth" -gt "$CONTEXT_TOLERANCE" ]; then
    echo "FAILED: memory contexts grew by $context_growth bytes over 50 $kind (tolerance $CONTEXT_TOLERANCE)" >&2
    status=1
  fi
  if [ "$heap_growth" -gt "$HEAP_TOLERANCE" ]; then
    echo "FAILED: the private heap grew by $heap_growth bytes over 50 $kind (tolerance $HEAP_TOLERANCE)" >&2
    status=1
  fi
done <"$WORK/measured"
[ "$(wc -l <"$WORK/measured")" -eq 2 ] || { echo "FAILED: expected 2 readings" >&2; status=1; }
exit $status
