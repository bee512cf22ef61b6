-- mean_lift: Welch's test against scipy's figures, NULLs and empty input, errors with their SQLSTATE, a
-- forced-parallel plan, and the before/after use on an order log.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- Reference: scipy 1.10.1 (Debian python3-scipy), run once by hand: scipy.stats.ttest_ind(treated, control,
-- equal_var=False) gives statistic 2.295069102756368 and pvalue 0.03446670222587311; numpy gives the means
-- 38.25416666666667 and 28.440000000000005, the standard deviations (ddof=1) 12.78865723162048 and
-- 6.824009899693224, and the Welch-Satterthwaite degrees of freedom 17.328475923804014; the 95% interval
-- difference -/+ scipy.stats.t.ppf(0.975, df) * se is [0.8051905288234629, 18.823142804509867], the 90% one
-- [2.383370475164787, 17.24496285816854]. The same figures are in test/unit/mean_lift_test.cpp.
CREATE TABLE lift_values (treated boolean, value float8);
INSERT INTO lift_values
SELECT true, unnest('{23.5, 41.0, 18.25, 55.0, 37.8, 29.9, 61.2, 44.4, 33.3, 27.0, 48.6, 39.1}'::float8[])
UNION ALL
SELECT false, unnest('{21.0, 35.5, 19.9, 28.4, 41.2, 25.0, 30.3, 22.8, 33.7, 26.6}'::float8[]);
SELECT (m).treated_n, (m).control_n,
       abs((m).treated_mean - 38.25416666666667) < 1e-12 AS treated_mean_ok,
       abs((m).control_mean - 28.440000000000005) < 1e-12 AS control_mean_ok,
       abs((m).treated_sd - 12.78865723162048) < 1e-12 AS treated_sd_ok,
       abs((m).control_sd - 6.824009899693224) < 1e-12 AS control_sd_ok,
       abs((m).difference - 9.814166666666665) < 1e-12 AS difference_ok,
       abs((m).relative_difference - 0.3450832161275198) < 1e-14 AS relative_ok,
       abs((m).t_statistic - 2.295069102756368) < 1e-12 AS t_ok,
       abs((m).degrees_of_freedom - 17.328475923804014) < 1e-10 AS df_ok,
       abs((m).p_value - 0.03446670222587311) < 1e-13 AS p_ok,
       abs((m).ci_low - 0.8051905288234629) < 1e-10 AND abs((m).ci_high - 18.823142804509867) < 1e-10 AS ci_ok
  FROM (SELECT mean_lift(treated, value) AS m FROM lift_values) AS x;
SELECT abs((m).ci_low - 2.383370475164787) < 1e-10 AND abs((m).ci_high - 17.24496285816854) < 1e-10 AS ci90_ok,
       round((m).ci_low::numeric, 6) AS ci_low, round((m).ci_high::numeric, 6) AS ci_high
  FROM (SELECT mean_lift(treated, value, 0.9) AS m FROM lift_values) AS x;
SELECT round((m).difference::numeric, 6) AS difference, round((m).t_statistic::numeric, 6) AS t,
       round((m).degrees_of_freedom::numeric, 4) AS df, round((m).p_value::numeric, 6) AS p_value
  FROM (SELECT mean_lift(treated, value) AS m FROM lift_values) AS x;

-- NULLs are ignored; one value in a group: its standard deviation, the test and the interval are NULL; no
-- control group: no difference either; no rows: NULL.
SELECT (m).treated_n, (m).control_n, (m).difference, (m).control_sd, (m).t_statistic, (m).p_value, (m).ci_low
  FROM (SELECT mean_lift(t, v) AS m
          FROM (VALUES (true, 10.0), (true, 14.0), (false, 9.0), (NULL, 99.0), (false, NULL)) AS v(t, v)) AS x;
SELECT (m).treated_n, (m).control_n, (m).treated_mean, (m).difference, (m).control_mean
  FROM (SELECT mean_lift(t, v) AS m FROM (VALUES (true, 10.0), (true, 14.0)) AS v(t, v)) AS x;
SELECT mean_lift(treated, value) IS NULL AS empty FROM lift_values WHERE false;

-- Bad input: a non-finite value, a confidence level outside (0, 1) or varying within a group, a malformed state
-- passed by hand: 22023.
SELECT mean_lift(true, 'NaN'::float8);
\echo :LAST_ERROR_SQLSTATE
SELECT mean_lift(true, 1.0, 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT mean_lift(t, 1.0, c) FROM (VALUES (true, 0.9), (false, 0.95)) AS v(t, c);
\echo :LAST_ERROR_SQLSTATE
SELECT mean_lift_final('{1,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT mean_lift_final('{2,1,-1,0,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT mean_lift_combine('{1,1,0,0,0,0}', '{0.5,1,0,0,0,0}');
\echo :LAST_ERROR_SQLSTATE
-- Called by hand, a support function leaves its argument alone.
SELECT mean_lift_accum(s, true, 5.0) AS updated, s AS original
  FROM (VALUES ('{1,3,0,0,0,0}'::float8[])) AS v(s);

-- Before/after on an order log: average order value, orders per customer and revenue per customer in March
-- (before a change) against April (after it). Amounts after the change are 4 higher on average.
SELECT setseed(0.61);
CREATE TABLE lift_orders AS
SELECT 1 + (random() * 999)::integer AS customer_id, d AS ordered_at,
       round((20 + random() * 60 + CASE WHEN d >= '2024-04-01' THEN 4 ELSE 0 END)::numeric, 2)::float8 AS amount
  FROM (SELECT timestamptz '2024-03-01' + random() * interval '61 days' AS d FROM generate_series(1, 200000)) AS g;
ANALYZE lift_orders;
SELECT round((m).difference::numeric, 3) AS aov_difference, round((m).ci_low::numeric, 3) AS ci_low,
       round((m).ci_high::numeric, 3) AS ci_high, (m).p_value < 1e-10 AS significant
  FROM (SELECT mean_lift(ordered_at >= '2024-04-01', amount) AS m FROM lift_orders) AS x;
SELECT round((m).difference::numeric, 3) AS orders_per_customer_difference, round((m).p_value::numeric, 3) AS p_value,
       round((r).difference::numeric, 2) AS revenue_per_customer_difference
  FROM (SELECT mean_lift(after, orders) AS m, mean_lift(after, revenue) AS r
          FROM (SELECT customer_id, ordered_at >= '2024-04-01' AS after, count(*) AS orders, sum(amount) AS revenue
                  FROM lift_orders GROUP BY 1, 2) AS c) AS x;

-- A forced parallel plan gives the serial result (to rounding: partial moments merge in another order).
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT mean_lift(ordered_at >= '2024-04-01', amount) FROM lift_orders;
CREATE TEMP TABLE lift_parallel AS
SELECT mean_lift(ordered_at >= '2024-04-01', amount) AS m, mean_lift(ordered_at >= '2024-04-01', amount, 0.8) AS m80
  FROM lift_orders;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT (p.m).treated_n = (s.m).treated_n AND (p.m).control_n = (s.m).control_n
         AND abs((p.m).difference - (s.m).difference) < 1e-9 AND abs((p.m).treated_sd - (s.m).treated_sd) < 1e-9
         AND abs((p.m).t_statistic - (s.m).t_statistic) < 1e-9 AND abs((p.m).ci_low - (s.m).ci_low) < 1e-9
         AND abs((p.m80).ci_high - (s.m80).ci_high) < 1e-9 AS same_result
  FROM lift_parallel p,
       (SELECT mean_lift(ordered_at >= '2024-04-01', amount) AS m,
               mean_lift(ordered_at >= '2024-04-01', amount, 0.8) AS m80 FROM lift_orders) AS s;
RESET max_parallel_workers_per_gather;
