#!/usr/bin/env bash
# Scale-out without Citus (docs/scale_out.md): two more throwaway PostgreSQL instances hold foreign partitions of
# a hash-partitioned orders table (postgres_fdw, the extension named in the servers' `extensions` option); the
# third, the test cluster, holds one local partition and coordinates. Checks that
#   1. customer_summary ... GROUP BY customer_id is pushed whole into the foreign scans (partitionwise aggregate)
#      and equals the result on a local copy, also under a session TimeZone other than the nodes' (UTC) when the
#      zone is given explicitly;
#   2. bgnbd_fit_distributed and pareto_nbd_fit_distributed over the partitioned summaries equal bgnbd_fit and
#      pareto_nbd_fit on a local copy (1e-6 relative), and their log-likelihood aggregates ran on the nodes (the
#      nodes' statement logs hold them; the rows never crossed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

coordinator_host=$PGHOST coordinator_port=$PGPORT
nodes=()
cleanup() {
  [ -n "${KEEP:-}" ] || for dir in "${nodes[@]}"; do stop_cluster "$dir"; rm -rf "$dir"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# node N: a fresh instance in a folder the cluster user owns; prints nothing, records host and port.
declare -A node_port
for n in 1 2; do
  dir=$(mktemp -d /tmp/loyalty-node$n.XXXXXX)
  chmod 755 "$dir"
  nodes+=("$dir")
  start_cluster "$dir/cluster" >/dev/null
  node_port[$n]=$PGPORT
  sql postgres -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
  fresh_database loyalty_node
  sql loyalty_node <<SQL
CREATE EXTENSION loyalty;
CREATE TABLE orders_$n (customer_id bigint, ordered_at timestamptz, amount double precision);
CREATE TABLE summaries_$n (customer_id bigint, frequency double precision, recency double precision,
                           t double precision, monetary double precision);
SQL
done
export PGHOST=$coordinator_host PGPORT=$coordinator_port

fresh_database loyalty_scale
sql loyalty_scale <<SQL
CREATE EXTENSION loyalty;
CREATE EXTENSION postgres_fdw;
$(for n in 1 2; do cat <<NODE
CREATE SERVER node$n FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '${nodes[$((n - 1))]}/cluster', port '${node_port[$n]}', dbname 'loyalty_node',
             extensions 'loyalty', async_capable 'true');
CREATE USER MAPPING FOR CURRENT_USER SERVER node$n OPTIONS (user '$(cluster_user)');
NODE
done)
-- Orders and summaries hash-partitioned by customer: partition 0 here, 1 and 2 on the nodes.
CREATE TABLE orders (customer_id bigint, ordered_at timestamptz, amount double precision)
    PARTITION BY HASH (customer_id);
CREATE TABLE orders_0 PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE FOREIGN TABLE orders_1 PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 1) SERVER node1;
CREATE FOREIGN TABLE orders_2 PARTITION OF orders FOR VALUES WITH (MODULUS 3, REMAINDER 2) SERVER node2;
CREATE TABLE summaries (customer_id bigint, frequency double precision, recency double precision,
                        t double precision, monetary double precision) PARTITION BY HASH (customer_id);
CREATE TABLE summaries_0 PARTITION OF summaries FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE FOREIGN TABLE summaries_1 PARTITION OF summaries FOR VALUES WITH (MODULUS 3, REMAINDER 1) SERVER node1;
CREATE FOREIGN TABLE summaries_2 PARTITION OF summaries FOR VALUES WITH (MODULUS 3, REMAINDER 2) SERVER node2;

-- 3,000 customers' orders over a year, around midnight UTC (so that the time zone decides calendar days).
SELECT setseed(0.13) \gset
INSERT INTO orders
SELECT c, timestamptz '2024-01-01 00:00+00' + (random() * 365) * interval '1 day'
          + (random() * 16 - 8) * interval '1 hour', round((5 + random() * 95)::numeric, 2)
FROM generate_series(1, 3000) c, generate_series(1, 1 + (c % 7)) k
WHERE k = 1 OR random() < 0.6;
CREATE TABLE orders_local AS SELECT * FROM orders;
SQL

passed=0 failed=0
pass() { log "$1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }
check() {  # check WHAT QUERY: the query prints t
  local result
  result=$(sql loyalty_scale -At -c "$2")
  if [ "$result" = t ]; then pass "$1: ok"; else fail "$1 (got '$result')"; fi
}

# 1. customer_summary pushed whole into each foreign partition.
plan=$(sql loyalty_scale -At <<'SQL'
SET enable_partitionwise_aggregate = on;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2025-01-01 00:00+00')
FROM orders GROUP BY customer_id;
SQL
)
pushed=$(grep -c 'Remote SQL: SELECT customer_id, public.customer_summary(' <<<"$plan" || true)
if [ "$pushed" = 2 ]; then pass "customer_summary GROUP BY customer_id: aggregation pushed into both foreign scans"
else fail "customer_summary not pushed down ($pushed foreign aggregates); plan:"; echo "$plan" >&2; fi

summary_query() {  # summary_query TABLE [ZONE]: every customer's summary, one line each
  local zone=""
  if [ -n "${2:-}" ]; then zone=", 'day', '$2'"; fi
  echo "SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2025-01-01 00:00+00'$zone)::text
        FROM $1 GROUP BY customer_id ORDER BY customer_id"
}
for setting in "UTC|" "America/Los_Angeles|America/Los_Angeles"; do
  tz=${setting%%|*} zone=${setting#*|}
  for table in orders orders_local; do
    PGTZ=$tz sql loyalty_scale -At -c "SET enable_partitionwise_aggregate = on" -c "$(summary_query $table $zone)" \
      >"$WORK/summary.$table"
  done
  if same "customer summaries, distributed and local (session TimeZone $tz${zone:+, zone '$zone'})" \
    "$WORK/summary.orders_local" "$WORK/summary.orders"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

# Why the zone must be given: postgres_fdw runs the nodes' queries in UTC, whatever the session's TimeZone.
for table in orders orders_local; do
  PGTZ=America/Los_Angeles sql loyalty_scale -At -c "SET enable_partitionwise_aggregate = on" \
    -c "$(summary_query $table)" >"$WORK/summary.$table"
done
differing=$(diff "$WORK/summary.orders_local" "$WORK/summary.orders" | grep -c '^>' || true)
log "without a zone, under session TimeZone America/Los_Angeles: $differing of 3000 summaries differ (nodes use UTC)"

# 2. The distributed fits over the partitioned summaries against the fit aggregates on a local copy.
sql loyalty_scale <<'SQL'
-- Customers drawn from a BG/NBD with CDNOW's published parameters (Fader, Hardie & Lee 2005), seeded.
INSERT INTO summaries
SELECT customer_id, frequency, recency, t, monetary FROM bgnbd_simulate(0.24, 4.4, 0.79, 2.4, 39, 5000, 11, 6, 4, 15);
CREATE TABLE summaries_local AS SELECT * FROM summaries;
SQL
log_lines() { wc -l <"${nodes[$(($1 - 1))]}/cluster/server.log"; }
before=($(log_lines 1) $(log_lines 2))
check "bgnbd_fit_distributed over 3 partitions (2 foreign) equals bgnbd_fit on a local copy (1e-6)" "
  SELECT greatest(abs((d).r / (f).r - 1), abs((d).alpha / (f).alpha - 1), abs((d).a / (f).a - 1),
                  abs((d).b / (f).b - 1)) < 1e-6 AND (d).converged AND (d).customers = (f).customers
  FROM (SELECT bgnbd_fit_distributed('summaries', sample_rows => 500) d,
               (SELECT bgnbd_fit(frequency, recency, t) FROM summaries_local) f) q"
check "pareto_nbd_fit_distributed over 3 partitions equals pareto_nbd_fit on a local copy (1e-6)" "
  SELECT greatest(abs((d).r / (f).r - 1), abs((d).alpha / (f).alpha - 1), abs((d).s / (f).s - 1),
                  abs((d).beta / (f).beta - 1)) < 1e-6 AND (d).converged
  FROM (SELECT pareto_nbd_fit_distributed('summaries', sample_rows => 500) d,
               (SELECT pareto_nbd_fit(frequency, recency, t) FROM summaries_local) f) q"
iterations=$(sql loyalty_scale -At -c "SELECT (bgnbd_fit_distributed('summaries', sample_rows => 500)).iterations || ' distributed, ' ||
  (SELECT (bgnbd_fit(frequency, recency, t)).iterations FROM summaries_local) || ' in memory'")
log "bgnbd fit evaluations: $iterations"
for n in 1 2; do
  logfile=${nodes[$((n - 1))]}/cluster/server.log
  remote=$(tail -n +"$((before[n - 1] + 1))" "$logfile" | grep -c 'bgnbd_log_likelihood(' || true)
  if [ "$remote" -gt 0 ]; then pass "node $n ran the log-likelihood aggregate $remote times"
  else fail "node $n never ran bgnbd_log_likelihood: the rows were pulled"; fi
done

[ -n "${KEEP:-}" ] || drop_database loyalty_scale
echo "scale_out: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
