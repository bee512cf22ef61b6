-- retention_lift: rates, lifts, interval and z-test against hand computations, NULLs, degenerate groups,
-- malformed states, GROUP BY, sliding windows and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- Campaign A: 200 of 250 treated customers retained, 150 of 250 controls. Hand computation (Python 3.11):
-- rates 0.8 and 0.6, lift 0.2 (relative 1/3); Newcombe's hybrid score interval (Wilson intervals of both
-- rates combined, see docs/retention.md) 0.120217 .. 0.276373; pooled p = 0.7, SE sqrt(.7*.3*(2/250)) =
-- 0.040988, z = 4.879500, p-value erfc(z/sqrt 2) = 1.0635e-06.
-- Campaign B: 45 of 60 treated against 120 of 180: lift 0.083333 (relative 0.125), interval -0.055068 ..
-- 0.200167, z = 1.206045, p-value 0.227800.
-- Campaign C: 12 of 40 treated against 20 of 50: lift -0.1 (relative -0.25), interval -0.282527 .. 0.097898,
-- z = -0.984798, p-value 0.324723.
-- Newcombe (1998) Table II example (a), 56/70 against 48/80: interval 0.0524 .. 0.3339.
CREATE TABLE campaign (campaign text, customer_id integer, treated boolean, retained boolean);
INSERT INTO campaign
SELECT 'A', i, i <= 250, CASE WHEN i <= 250 THEN i <= 200 ELSE i <= 400 END FROM generate_series(1, 500) AS i
UNION ALL
SELECT 'B', i, i <= 60, CASE WHEN i <= 60 THEN i <= 45 ELSE i <= 180 END FROM generate_series(1, 240) AS i
UNION ALL
SELECT 'C', i, i <= 40, CASE WHEN i <= 40 THEN i <= 12 ELSE i <= 60 END FROM generate_series(1, 90) AS i
UNION ALL
SELECT 'Newcombe (a)', i, i <= 70, CASE WHEN i <= 70 THEN i <= 56 ELSE i <= 118 END FROM generate_series(1, 150) AS i;
SELECT campaign, (r).treated_customers, (r).treated_retained, (r).treated_rate,
       (r).control_customers, (r).control_retained, round((r).control_rate::numeric, 6) AS control_rate,
       round((r).absolute_lift::numeric, 6) AS absolute_lift, round((r).relative_lift::numeric, 6) AS relative_lift,
       round((r).difference_ci_low::numeric, 6) AS ci_low, round((r).difference_ci_high::numeric, 6) AS ci_high,
       round((r).z_score::numeric, 6) AS z_score, to_char((r).p_value, '9.9999EEEE') AS p_value
  FROM (SELECT campaign, retention_lift(treated, retained) AS r FROM campaign GROUP BY campaign) AS t
 ORDER BY campaign;
-- The rates and counts equal plain SQL.
SELECT campaign,
       (r).treated_rate = (count(*) FILTER (WHERE treated AND retained))::float8
                          / count(*) FILTER (WHERE treated) AS same_treated_rate,
       (r).control_rate = (count(*) FILTER (WHERE NOT treated AND retained))::float8
                          / count(*) FILTER (WHERE NOT treated) AS same_control_rate
  FROM (SELECT campaign, retention_lift(treated, retained) OVER (PARTITION BY campaign) AS r, treated, retained
          FROM campaign) AS t
 GROUP BY campaign, r ORDER BY campaign;

-- NULLs are ignored; no rows give NULL. A missing group, everybody retained or nobody retained among the
-- controls leave the figures that cannot be computed NULL.
SELECT (retention_lift(t, r)).treated_customers AS nulls_ignored
  FROM (VALUES (true, true), (NULL, true), (true, NULL), (false, false)) AS v(t, r);
SELECT retention_lift(treated, retained) IS NULL AS no_rows FROM campaign WHERE false;
SELECT (retention_lift(treated, retained)).* FROM campaign WHERE campaign = 'A' AND treated;
SELECT (retention_lift(t, true)).* FROM (VALUES (true), (false), (false)) AS v(t);
SELECT (retention_lift(t, t)).* FROM (VALUES (true), (false), (false)) AS v(t);

-- Malformed states handed to support functions are refused (22023); called directly they do not modify their
-- argument.
SELECT retention_lift_final('{1,2,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_lift_final('{1,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_lift_final('{1,0.5,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_lift_combine('{1,1,0,0}', '{-1,0,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_lift_accum(s, false, true) AS accumulated, s AS unchanged FROM (VALUES ('{1,1,0,0}'::float8[])) AS v(s);

-- Sliding windows use the inverse transition; every row equals the same frame recomputed from scratch.
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE moving IS DISTINCT FROM from_scratch) AS mismatches
  FROM (SELECT retention_lift(treated, retained) OVER (ORDER BY campaign, customer_id
                                                       ROWS BETWEEN 39 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT retention_lift(c2.treated, c2.retained)
                  FROM (SELECT *, row_number() OVER (ORDER BY campaign, customer_id) AS n FROM campaign) AS c2
                 WHERE c2.n BETWEEN c.n - 39 AND c.n) AS from_scratch
          FROM (SELECT *, row_number() OVER (ORDER BY campaign, customer_id) AS n FROM campaign) AS c) AS w;

-- A forced parallel plan (Partial and Finalize Aggregate) gives the serial result.
CREATE TABLE many_customers_lift AS
SELECT i AS customer_id, i % 3 = 0 AS treated, (i * 7919) % 100 < CASE WHEN i % 3 = 0 THEN 70 ELSE 65 END AS retained
  FROM generate_series(1, 200000) AS i;
ANALYZE many_customers_lift;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT retention_lift(treated, retained) FROM many_customers_lift;
CREATE TEMP TABLE parallel_result AS SELECT retention_lift(treated, retained) AS r FROM many_customers_lift;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.r = s.r AS same_result, (s.r).treated_customers, (s.r).control_customers,
       round((s.r).absolute_lift::numeric, 4) AS absolute_lift
  FROM parallel_result p, (SELECT retention_lift(treated, retained) AS r FROM many_customers_lift) AS s;
RESET max_parallel_workers_per_gather;
