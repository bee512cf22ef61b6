-- purchase_gaps: a hand-computed example, NULLs and empty input, errors with their SQLSTATE, every field against
-- its plain-SQL definition (lag() and regr_slope) on a random order log under serial and forced-parallel plans,
-- and the "silent for more than k typical gaps" query.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';

-- Purchase days 01-01, 01-11, 01-31, 03-01 (two orders that day) and an order after as_of (ignored): gaps 10, 20,
-- 30, so mean 20, last 30, trend +10 days per gap; as_of 04-10 is 40 days after 03-01: two typical gaps.
SELECT (g).*
  FROM (SELECT purchase_gaps(t, '2024-04-10 12:00') AS g
          FROM (VALUES ('2024-01-01 09:00'::timestamptz), ('2024-01-11 10:00'), ('2024-01-31 23:59'),
                       ('2024-03-01 08:00'), ('2024-03-01 20:00'), ('2024-04-11 00:00'), (NULL)) AS v(t)) AS x;
-- One purchase day: no gap. Two: a gap but no trend.
SELECT (g).purchase_days, (g).mean_gap, (g).last_gap, (g).gap_trend, (g).days_since_last, (g).silence_ratio
  FROM (SELECT purchase_gaps(t, '2024-01-05') AS g
          FROM (VALUES ('2024-01-01 09:00'::timestamptz), ('2024-01-01 11:00')) AS v(t)) AS x;
SELECT (g).purchase_days, (g).mean_gap, (g).last_gap, (g).gap_trend, (g).days_since_last, (g).silence_ratio
  FROM (SELECT purchase_gaps(t, '2024-01-20') AS g
          FROM (VALUES ('2024-01-01'::timestamptz), ('2024-01-05')) AS v(t)) AS x;
-- No order up to as_of, only NULL times, or no rows: NULL.
SELECT purchase_gaps(t, '2024-01-01') IS NULL AS only_later FROM (VALUES ('2024-02-01'::timestamptz)) AS v(t);
SELECT purchase_gaps(t, '2024-01-01') IS NULL AS only_nulls FROM (VALUES (NULL::timestamptz)) AS v(t);
SELECT purchase_gaps(t, '2024-01-01') IS NULL AS empty FROM (VALUES ('2024-02-01'::timestamptz)) AS v(t) WHERE false;

-- Bad input: as_of varying within a group (22023), NULL (22004) or infinite (22008); an infinite order time
-- (22008).
SELECT purchase_gaps(t, a)
  FROM (VALUES ('2024-01-01'::timestamptz, '2024-06-30'::timestamptz), ('2024-01-02', '2024-07-01')) AS v(t, a);
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps('2024-01-01'::timestamptz, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps('2024-01-01'::timestamptz, 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps('-infinity'::timestamptz, '2024-01-01');
\echo :LAST_ERROR_SQLSTATE

-- A random order log of 800 customers over two years (several orders a day for some, a few after as_of).
SELECT setseed(0.53);
CREATE TABLE gap_orders AS
SELECT 1 + (random() * 799)::integer AS customer_id,
       timestamptz '2023-01-01' + random() * interval '740 days' AS ordered_at
  FROM generate_series(1, 25000);
INSERT INTO gap_orders SELECT customer_id, ordered_at + interval '1 hour' FROM gap_orders WHERE customer_id % 6 = 0;
ANALYZE gap_orders;

-- The plain-SQL definitions: each customer's distinct purchase days up to as_of, the gaps with lag(), the
-- trend with regr_slope over the gap index, the last gap from the latest day.
CREATE TABLE gap_plain AS
WITH d AS (
  SELECT DISTINCT customer_id, ordered_at::date AS day FROM gap_orders WHERE ordered_at::date <= date '2024-12-31'
), g AS (
  SELECT customer_id, day, day - lag(day) OVER w AS gap, row_number() OVER w - 1 AS i
    FROM d WINDOW w AS (PARTITION BY customer_id ORDER BY day)
)
SELECT customer_id, count(*) AS purchase_days, min(day) AS first_purchase, max(day) AS last_purchase,
       avg(gap) AS mean_gap, (array_agg(gap ORDER BY day DESC))[1] AS last_gap, regr_slope(gap, i) AS gap_trend,
       date '2024-12-31' - max(day) AS days_since_last, (date '2024-12-31' - max(day)) / avg(gap) AS silence_ratio
  FROM g GROUP BY customer_id;

CREATE VIEW gap_mismatches AS
SELECT count(*) AS customers,
       count(*) FILTER (WHERE (s).purchase_days <> p.purchase_days OR (s).first_purchase <> p.first_purchase
                           OR (s).last_purchase <> p.last_purchase
                           OR ((s).mean_gap IS NULL) <> (p.mean_gap IS NULL) OR abs((s).mean_gap - p.mean_gap) > 1e-9
                           OR (s).last_gap IS DISTINCT FROM p.last_gap::float8
                           OR ((s).gap_trend IS NULL) <> (p.gap_trend IS NULL)
                           OR abs((s).gap_trend - p.gap_trend) > 1e-9
                           OR (s).days_since_last <> p.days_since_last
                           OR ((s).silence_ratio IS NULL) <> (p.silence_ratio IS NULL)
                           OR abs((s).silence_ratio - p.silence_ratio) > 1e-9) AS mismatches,
       count(*) FILTER (WHERE (s).gap_trend IS NOT NULL) AS with_trend
  FROM gap_plain p
  JOIN (SELECT customer_id, purchase_gaps(ordered_at, '2024-12-31 18:00') AS s FROM gap_orders GROUP BY 1) AS x
 USING (customer_id);
SET max_parallel_workers_per_gather = 0;
SELECT * FROM gap_mismatches;
-- Forced parallel plans: per customer (Partial and Finalize Aggregate, states serialised), and one big group.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer_id % 10, purchase_gaps(ordered_at, '2024-12-31 18:00') FROM gap_orders GROUP BY 1;
CREATE TEMP TABLE gap_parallel AS
SELECT customer_id % 10 AS g, purchase_gaps(ordered_at, '2024-12-31 18:00') AS s FROM gap_orders GROUP BY 1;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.s IS DISTINCT FROM q.s) AS mismatches
  FROM gap_parallel p
  JOIN (SELECT customer_id % 10 AS g, purchase_gaps(ordered_at, '2024-12-31 18:00') AS s FROM gap_orders GROUP BY 1) q
 USING (g);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- The customers silent for more than 3 of their typical gaps, with at least 4 purchase days, the latest first.
SELECT customer_id, (s).purchase_days, round((s).mean_gap::numeric, 2) AS mean_gap, (s).days_since_last,
       round((s).silence_ratio::numeric, 2) AS silence_ratio, round((s).gap_trend::numeric, 3) AS gap_trend
  FROM (SELECT customer_id, purchase_gaps(ordered_at, '2024-12-31 18:00') AS s FROM gap_orders GROUP BY 1) AS x
 WHERE (s).silence_ratio > 3 AND (s).purchase_days >= 4
 ORDER BY (s).silence_ratio DESC, customer_id LIMIT 5;
