#!/usr/bin/env bash
# Runs examples/: a fresh database with only the extension, every examples/*.sql in name order (ON_ERROR_STOP),
# then examples/client.py, then checks of what they wrote. Prints "examples: N passed, N failed" last and exits
# non-zero on any failure.
#
# It uses the extension installed in the system PostgreSQL, which every checkout on this machine shares: run
# it under the shared lock, after installing this checkout's build under the same lock, e.g.
#   flock /tmp/loyalty-pg.lock bash -c 'bash scripts/test.sh --sql-only && bash test/examples/run.sh'
# Runs as root (the cluster runs as the postgres user) or as the cluster's owner.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib/common.sh"
started=$SECONDS

# Debian's psycopg2 is a module of the system Python: the client runs with /usr/bin/python3, not whatever
# python3 comes first in PATH (pyenv, a venv).
DEBIAN_PACKAGES=(postgresql-$PG_MAJOR python3 python3-psycopg2)
install_dependencies
python=/usr/bin/python3

if [ ! -f "$("$(pg_config_path)" --sharedir)/extension/loyalty.control" ]; then
  echo "the extension is not installed: run make install (under flock /tmp/loyalty-pg.lock) first" >&2
  exit 2
fi

work=$(mktemp -d /tmp/loyalty-examples.XXXXXX)
chmod 755 "$work"  # the cluster user must reach the cluster inside it
cluster=$work/cluster
trap 'stop_cluster "$cluster"; rm -rf "$work"' EXIT
start_cluster "$cluster"
export PGDATABASE=loyalty_examples
psql -X -q -d postgres -c "CREATE DATABASE $PGDATABASE"
psql -X -q -c "CREATE EXTENSION loyalty"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

# Every example in order: each builds on the ones before it (data, models, views, snapshot, campaign).
for example in "$ROOT"/examples/*.sql; do
  name=$(basename "$example")
  if psql -X -v ON_ERROR_STOP=1 -f "$example" >"$work/$name.out" 2>&1; then
    pass "$name"
  else
    tail -20 "$work/$name.out"
    fail "$name"
  fi
done

if (cd "$work" && "$python" "$ROOT/examples/client.py") >"$work/client.out" 2>&1 && grep -q '^client: ok$' "$work/client.out"; then
  pass "client.py: $(grep -m1 '^campaign' "$work/client.out")"
else
  tail -20 "$work/client.out"
  fail "client.py"
fi

# check NAME SQL: SQL returns one row, 't' when what NAME says holds (its other columns are printed).
check() {
  local name=$1 sql=$2 result
  if result=$(psql -X -At -F ' | ' -v ON_ERROR_STOP=1 -c "$sql" 2>&1) && [ "${result%% *}" = t ]; then
    pass "$name (${result#t | })"
  else
    fail "$name: $result"
  fi
}

check "nightly refit stored converged models with today's fit date" "
  SELECT count(*) >= 1 AND bool_and(converged) AND bool_and(fitted_at::date = current_date)
         AND bool_and(as_of = '2026-06-30') AND bool_and(customers = 1500), count(*) || ' models'
    FROM loyalty_models"

check "campaign list is non-empty, every customer on it has P(alive) < 0.5 and CLV >= 20 under the stored model" "
  SELECT count(*) > 0 AND bool_and(p_alive(m.purchases, c.repeat_purchases, c.recency_weeks, c.age_weeks) < 0.5)
         AND bool_and(t.p_alive < 0.5) AND bool_and(t.clv_next_year >= 20),
         count(*) || ' customers, max P(alive) ' || round(max(t.p_alive)::numeric, 3)
    FROM campaign_targets AS t
    JOIN customer_scorecard_snapshot AS c ON c.customer_id = t.customer_id
    JOIN loyalty_models AS m ON m.model_id = t.model_id
   WHERE t.campaign = 'win-back 2026-07'"

check "the campaign took the most valuable at-risk customers" "
  SELECT min(t.clv_next_year) >= (SELECT max(clv_next_year) FROM customer_scorecard_snapshot AS s
                                   WHERE s.p_alive < 0.5 AND s.clv_next_year >= 20
                                     AND s.customer_id NOT IN (SELECT customer_id FROM campaign_targets)),
         'lowest CLV on the list ' || round(min(t.clv_next_year)::numeric, 2)
    FROM campaign_targets AS t"

check "the snapshot (materialized view) equals the live scorecard" "
  SELECT (SELECT count(*) FROM customer_scorecard_snapshot) = (SELECT count(*) FROM customer_scorecard)
         AND NOT EXISTS (SELECT customer_id, p_alive, clv_next_year FROM customer_scorecard
                         EXCEPT SELECT customer_id, p_alive, clv_next_year FROM customer_scorecard_snapshot),
         (SELECT count(*) FROM customer_scorecard_snapshot) || ' customers'"

check "segment summary covers every scored customer in the 11 RFM segments" "
  SELECT sum(customers) = (SELECT count(*) FROM customer_scorecard) AND count(*) = 11
         AND round(sum(percent_of_revenue)) = 100, sum(customers) || ' customers'
    FROM segment_summary"

check "monthly KPIs: 18 months, all orders counted, NPS inside its interval" "
  SELECT count(*) = 18 AND sum(orders) = (SELECT count(*) FROM orders)
         AND bool_and(nps BETWEEN nps_ci_low AND nps_ci_high)
         AND bool_and(retention_rate_90_days BETWEEN 0 AND 1 OR retention_rate_90_days IS NULL),
         count(*) || ' months, ' || sum(orders) || ' orders'
    FROM monthly_kpis"

# The PL/pgSQL limit that 10_nightly_refit.sql works round, so the comment there stays true.
if out=$(psql -X -q -v ON_ERROR_STOP=1 2>&1 <<'SQL'
DO $$
DECLARE
  purchases bgnbd_model;
  spend gamma_gamma_model;
BEGIN
  SELECT bgnbd_fit(s), gamma_gamma_fit(s) INTO purchases, spend
    FROM (SELECT customer_summary(ordered_at, amount, '2026-06-30', 'week') AS s FROM orders GROUP BY customer_id) AS c;
END
$$;
SQL
); then
  fail "two composites INTO two variables was expected to fail"
elif grep -q 'record variable cannot be part of multiple-item INTO list' <<<"$out"; then
  pass "two composites INTO two variables fails as 10_nightly_refit.sql says"
else
  fail "two composites INTO two variables: unexpected error: $out"
fi

echo "examples test took $((SECONDS - started)) s"
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
