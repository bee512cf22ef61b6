-- The model fits on customer_summary composites: the same models as on plain columns, with customers that
-- have no calibration data (every order after as_of) or t = 0 (first purchase on the as_of day) skipped.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';

-- An order log of 3,000 customers over 2025 (deterministic), plus one customer who only buys after as_of and
-- one whose first purchase is on the as_of day.
SELECT setseed(0.7) AS seed \gset
CREATE TABLE fit_orders AS
SELECT c AS customer_id,
       timestamptz '2025-01-01' + (random() * 330 + (c % 7) * 5) * interval '1 day' AS ordered_at,
       round((10 + random() * 90)::numeric, 2)::float8 AS amount
  FROM generate_series(1, 3000) AS c, generate_series(1, 1 + (c % 9)) AS k
 WHERE k = 1 OR random() < 0.6;
INSERT INTO fit_orders VALUES (9001, timestamptz '2026-02-01 10:00', 50), (9002, timestamptz '2025-12-31 09:00', 20);
CREATE TABLE fit_summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2025-12-31', 'week') AS s
  FROM fit_orders GROUP BY customer_id;
SELECT count(*) AS customers, count(*) FILTER (WHERE (s).t IS NULL) AS holdout_only,
       count(*) FILTER (WHERE (s).t = 0) AS first_purchase_on_as_of
  FROM fit_summaries;

-- Independent check: the composite fits equal the plain-column fits on the customers with t > 0. (Nobody in
-- this log ever stops buying, so BG/NBD's dropout parameters run off to the boundary: a and b huge, and the
-- fit says converged = false rather than passing them off as estimates.)
SELECT a.m = b.m AS bgnbd_same, (a.m).customers, (a.m).converged, round((a.m).a::numeric, 1) AS a,
       round((a.m).b::numeric, 1) AS b
  FROM (SELECT bgnbd_fit(s) AS m FROM fit_summaries) AS a,
       (SELECT bgnbd_fit((s).frequency, (s).recency, (s).t) AS m FROM fit_summaries WHERE (s).t > 0) AS b;
SELECT a.m = b.m AS mbgnbd_same
  FROM (SELECT mbgnbd_fit(s) AS m FROM fit_summaries) AS a,
       (SELECT mbgnbd_fit((s).frequency, (s).recency, (s).t) AS m FROM fit_summaries WHERE (s).t > 0) AS b;
SELECT a.m = b.m AS pareto_nbd_same
  FROM (SELECT pareto_nbd_fit(s) AS m FROM fit_summaries) AS a,
       (SELECT pareto_nbd_fit((s).frequency, (s).recency, (s).t) AS m FROM fit_summaries WHERE (s).t > 0) AS b;
-- Gamma-Gamma keeps the repeat buyers, whatever their t.
SELECT a.m = b.m AS gamma_gamma_same, (a.m).customers AS repeat_buyers
  FROM (SELECT gamma_gamma_fit(s) AS m FROM fit_summaries) AS a,
       (SELECT gamma_gamma_fit((s).frequency, (s).monetary) AS m FROM fit_summaries) AS b;

-- NULL composites and no rows give NULL, as for the plain-column forms.
SELECT bgnbd_fit(NULL::customer_summary_result) IS NULL AS null_only,
       (SELECT gamma_gamma_fit(s) FROM fit_summaries WHERE false) IS NULL AS empty;

-- A forced parallel plan gives the serial fit.
CREATE TABLE many_fit_summaries AS SELECT f.s FROM fit_summaries AS f, generate_series(1, 20);
ANALYZE many_fit_summaries;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(s) FROM many_fit_summaries;
CREATE TEMP TABLE parallel_fit AS SELECT bgnbd_fit(s) AS m FROM many_fit_summaries;
RESET ALL;
SET max_parallel_workers_per_gather = 0;
SELECT p.m = s.m AS same_fit, (s.m).customers
  FROM parallel_fit AS p, (SELECT bgnbd_fit(s) AS m FROM many_fit_summaries) AS s;
