-- customer_summary: values against hand computations and an independent plain-SQL summary, units, time zones,
-- holdout, NULLs and empty input, errors with their SQLSTATE, window use and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';

-- CDNOW customer 1 (CDNOW_sample.txt): 1997-01-01 29.33, 1997-01-18 29.73, 1997-08-02 14.96, 1997-12-12 26.48;
-- calibration ends 1997-09-30. By hand: frequency 2 (three purchase days in calibration), recency 213 days
-- (1997-01-01 to 08-02), t 272 days (to 09-30), monetary (29.73 + 14.96) / 2 = 22.345 (the first day is left
-- out), orders 3, revenue 74.02, 59 days since 08-02; holdout: one day worth 26.48. In weeks: 30.43 and 38.86,
-- the values of cdnow_customers_summary.csv for customer 1.
CREATE TABLE one_customer (ordered_at timestamptz, amount double precision);
INSERT INTO one_customer VALUES ('1997-01-01', 29.33), ('1997-01-18', 29.73), ('1997-08-02', 14.96),
                                ('1997-12-12', 26.48);
SELECT (s).frequency, (s).recency, (s).t, round((s).monetary::numeric, 6) AS monetary, (s).orders,
       round((s).revenue::numeric, 6) AS revenue, (s).first_order, (s).last_order, (s).days_since_last,
       (s).holdout_frequency, (s).holdout_orders, (s).holdout_revenue, (s).holdout_monetary
  FROM (SELECT customer_summary(ordered_at, amount, '1997-09-30') AS s FROM one_customer) AS x;
SELECT round((s).recency::numeric, 2) AS recency_weeks, round((s).t::numeric, 2) AS t_weeks
  FROM (SELECT customer_summary(ordered_at, amount, '1997-09-30', 'week') AS s FROM one_customer) AS x;
-- Months of 30.4375 days: 213 / 30.4375 = 6.9979, 272 / 30.4375 = 8.9363.
SELECT round((s).recency::numeric, 4) AS recency_months, round((s).t::numeric, 4) AS t_months
  FROM (SELECT customer_summary(ordered_at, amount, '1997-09-30', 'Months') AS s FROM one_customer) AS x;

-- Orders of one day are one purchase day, their amounts summed; a return (negative amount) counts as given.
-- Days 1 (10), 5 (40 + 20 - 15), 9 (30): frequency 2, monetary (45 + 30) / 2 = 37.5, orders 5, revenue 85.
-- The time of day does not matter, and as_of's day is part of calibration whatever its time.
SELECT (s).frequency, (s).recency, (s).t, (s).monetary, (s).orders, (s).revenue, (s).days_since_last
  FROM (SELECT customer_summary(ordered_at, amount, '2024-01-12 00:00') AS s
          FROM (VALUES ('2024-01-05 08:00'::timestamptz, 40.0), ('2024-01-01 23:59', 10.0),
                       ('2024-01-09 12:00', 30.0), ('2024-01-05 19:30', 20.0), ('2024-01-05 21:00', -15.0))
               AS v(ordered_at, amount)) AS x;
SELECT (s).frequency, (s).t, (s).days_since_last, (s).holdout_orders
  FROM (SELECT customer_summary(ordered_at, 1, '2024-01-05 00:00') AS s
          FROM (VALUES ('2024-01-01 10:00'::timestamptz), ('2024-01-05 23:00'), ('2024-01-06 00:00'))
               AS v(ordered_at)) AS x;
-- One purchase day only: no repeat, monetary 0 (the lifetimes convention); first purchase on the as_of day: t 0.
SELECT (s).frequency, (s).recency, (s).t, (s).monetary, (s).days_since_last
  FROM (SELECT customer_summary(ordered_at, 25, '2024-03-01') AS s
          FROM (VALUES ('2024-03-01 09:00'::timestamptz), ('2024-03-01 17:00')) AS v(ordered_at)) AS x;

-- Every order after as_of: the calibration fields are NULL, the holdout fields tell what happened.
SELECT (s).frequency IS NULL AS no_frequency, (s).t IS NULL AS no_t, (s).first_order IS NULL AS no_first_order,
       (s).orders, (s).revenue, (s).holdout_frequency, (s).holdout_orders, (s).holdout_revenue,
       (s).holdout_monetary
  FROM (SELECT customer_summary(ordered_at, amount, '2024-01-01') AS s
          FROM (VALUES ('2024-02-01'::timestamptz, 10.0), ('2024-02-01', 5.0), ('2024-03-01', 30.0))
               AS v(ordered_at, amount)) AS x;

-- NULL times or amounts are ignored; only such rows, or no rows, give NULL.
SELECT (s).frequency, (s).orders, (s).revenue
  FROM (SELECT customer_summary(ordered_at, amount, '2024-12-31') AS s
          FROM (VALUES ('2024-01-01'::timestamptz, 10.0), (NULL, 99.0), ('2024-02-01', NULL),
                       ('2024-03-01', 5.0)) AS v(ordered_at, amount)) AS x;
SELECT customer_summary(ordered_at, amount, '2024-12-31') IS NULL AS only_nulls
  FROM (VALUES (NULL::timestamptz, 1.0), ('2024-01-01', NULL)) AS v(ordered_at, amount);
SELECT customer_summary(ordered_at, amount, '2024-12-31') IS NULL AS empty,
       customer_summary(ordered_at, amount, '2024-12-31', 'week', 'UTC') IS NULL AS empty_with_zone
  FROM one_customer WHERE false;

-- Bad input. as_of must be the same on every row of a group (22023); so must the unit and the time zone.
SELECT customer_summary(ordered_at, 1, as_of)
  FROM (VALUES ('2024-01-01'::timestamptz, '2024-06-30'::timestamptz), ('2024-01-02', '2024-07-01'))
       AS v(ordered_at, as_of);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, 1, '2024-06-30', unit)
  FROM (VALUES ('2024-01-01'::timestamptz, 'day'), ('2024-01-02', 'week')) AS v(ordered_at, unit);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, 1, '2024-06-30', 'day', zone)
  FROM (VALUES ('2024-01-01'::timestamptz, 'UTC'), ('2024-01-02', 'Europe/Paris')) AS v(ordered_at, zone);
\echo :LAST_ERROR_SQLSTATE
-- An unknown unit or time zone: 22023. A NULL as_of, unit or zone: 22004. Infinite timestamps: 22008.
-- A non-finite amount: 22023.
SELECT customer_summary(ordered_at, amount, '2024-06-30', 'fortnight') FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, amount, '2024-06-30', 'day', 'Mars/Olympus_Mons') FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, amount, NULL) FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, amount, '2024-06-30', NULL) FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, amount, '2024-06-30', 'day', NULL) FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(ordered_at, amount, 'infinity') FROM one_customer;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary('-infinity'::timestamptz, 1, '2024-06-30');
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(now(), 'NaN'::float8, now());
\echo :LAST_ERROR_SQLSTATE
SELECT customer_summary(now(), 'infinity'::float8, now());
\echo :LAST_ERROR_SQLSTATE

-- An order log of 3,000 customers over two years (several orders a day for some; amounts with returns), as_of
-- 2025-06-30. Independent plain-SQL summary: days first (one row per customer and day), then customers; the
-- lifetimes conventions written directly.
SELECT setseed(0.31);
CREATE TABLE orders AS
SELECT 1 + (random() * 2999)::integer AS customer_id,
       timestamptz '2024-01-01' + random() * interval '730 days' AS ordered_at,
       round((random() * 120 - 10)::numeric, 2)::double precision AS amount
  FROM generate_series(1, 20000);
INSERT INTO orders SELECT customer_id, ordered_at + interval '3 hours', 7.5 FROM orders WHERE customer_id % 7 = 0;
CREATE INDEX ON orders (customer_id);
ANALYZE orders;
CREATE TABLE plain_summary AS
WITH days AS (
  SELECT customer_id, ordered_at::date AS day, count(*) AS orders, sum(amount) AS total,
         min(ordered_at) AS first_ts, max(ordered_at) AS last_ts
    FROM orders GROUP BY customer_id, ordered_at::date
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY customer_id, day <= date '2025-06-30' ORDER BY day) AS n FROM days
)
SELECT customer_id,
       nullif(count(*) FILTER (WHERE day <= '2025-06-30'), 0) - 1 AS frequency,
       max(day) FILTER (WHERE day <= '2025-06-30') - min(day) FILTER (WHERE day <= '2025-06-30') AS recency,
       date '2025-06-30' - min(day) FILTER (WHERE day <= '2025-06-30') AS t,
       CASE WHEN count(*) FILTER (WHERE day <= '2025-06-30') > 0
            THEN coalesce(avg(total) FILTER (WHERE day <= '2025-06-30' AND n > 1), 0) END AS monetary,
       coalesce(sum(orders) FILTER (WHERE day <= '2025-06-30'), 0) AS orders,
       coalesce(sum(total) FILTER (WHERE day <= '2025-06-30'), 0) AS revenue,
       min(first_ts) FILTER (WHERE day <= '2025-06-30') AS first_order,
       max(last_ts) FILTER (WHERE day <= '2025-06-30') AS last_order,
       date '2025-06-30' - max(day) FILTER (WHERE day <= '2025-06-30') AS days_since_last,
       count(*) FILTER (WHERE day > '2025-06-30') AS holdout_frequency,
       coalesce(sum(orders) FILTER (WHERE day > '2025-06-30'), 0) AS holdout_orders,
       coalesce(sum(total) FILTER (WHERE day > '2025-06-30'), 0) AS holdout_revenue,
       coalesce(avg(total) FILTER (WHERE day > '2025-06-30'), 0) AS holdout_monetary
  FROM ranked GROUP BY customer_id;
CREATE TABLE summary AS
SELECT customer_id, (s).* FROM (SELECT customer_id, customer_summary(ordered_at, amount, '2025-06-30') AS s
                                  FROM orders GROUP BY customer_id) AS x;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE s.frequency IS DISTINCT FROM p.frequency::integer
                           OR s.recency IS DISTINCT FROM p.recency::float8
                           OR s.t IS DISTINCT FROM p.t::float8
                           OR (s.monetary IS NULL) <> (p.monetary IS NULL) OR abs(s.monetary - p.monetary) > 1e-9
                           OR s.orders <> p.orders OR abs(s.revenue - p.revenue) > 1e-9
                           OR s.first_order IS DISTINCT FROM p.first_order
                           OR s.last_order IS DISTINCT FROM p.last_order
                           OR s.days_since_last IS DISTINCT FROM p.days_since_last
                           OR s.holdout_frequency <> p.holdout_frequency OR s.holdout_orders <> p.holdout_orders
                           OR abs(s.holdout_revenue - p.holdout_revenue) > 1e-9
                           OR abs(s.holdout_monetary - p.holdout_monetary) > 1e-9) AS mismatches,
       count(*) FILTER (WHERE s.frequency IS NULL) AS holdout_only,
       sum(s.orders + s.holdout_orders) AS orders_counted
  FROM summary s JOIN plain_summary p USING (customer_id);
SELECT count(*) AS orders_in_table FROM orders;

-- Calendar days: the session's TimeZone by default, or the zone given, exactly as (ts AT TIME ZONE zone)::date,
-- including across daylight-saving changes and for half-hour zones; fixed abbreviations (EST) and POSIX
-- offsets as AT TIME ZONE reads them. as_of's own day is taken in the same zone (2025-06-30 00:00 UTC is
-- still June 29 in New York).
CREATE TABLE zones (zone text);
INSERT INTO zones VALUES ('UTC'), ('America/New_York'), ('Europe/Berlin'), ('Asia/Kolkata'),
                         ('Australia/Lord_Howe'), ('Pacific/Chatham'), ('EST'), ('UTC+5'), ('America/St_Johns');
WITH ours AS (
  SELECT z.zone, o.customer_id, customer_summary(o.ordered_at, o.amount, '2025-06-30', 'day', z.zone) AS s
    FROM zones z CROSS JOIN orders o GROUP BY z.zone, o.customer_id
), plain AS (
  SELECT zone, customer_id, min(a) AS as_of_day,
         count(DISTINCT d) FILTER (WHERE d <= a) - 1 AS frequency,
         (max(d) FILTER (WHERE d <= a) - min(d))::float8 AS recency,
         (min(a) - min(d))::float8 AS t,
         min(a) - max(d) FILTER (WHERE d <= a) AS days_since_last,
         count(DISTINCT d) FILTER (WHERE d > a) AS holdout_frequency
    FROM (SELECT z.zone, o.customer_id, (o.ordered_at AT TIME ZONE z.zone)::date AS d,
                 (timestamptz '2025-06-30' AT TIME ZONE z.zone)::date AS a
            FROM zones z CROSS JOIN orders o) AS x
   GROUP BY zone, customer_id
)
SELECT zone, min(p.as_of_day) AS as_of_day, count(*) AS customers,
       count(*) FILTER (WHERE (s).frequency <> p.frequency OR (s).recency <> p.recency OR (s).t <> p.t
                           OR (s).days_since_last <> p.days_since_last
                           OR (s).holdout_frequency <> p.holdout_frequency) AS mismatches
  FROM ours JOIN plain p USING (zone, customer_id)
 WHERE (s).frequency IS NOT NULL
 GROUP BY zone ORDER BY zone;
-- The session zone: SET TIME ZONE gives what the explicit zone gives.
SET TIME ZONE 'Asia/Kolkata';
CREATE TEMP TABLE session_zone AS
SELECT customer_id, customer_summary(ordered_at, amount, '2025-06-30 12:00+00', 'week') AS s
  FROM orders GROUP BY customer_id;
SET TIME ZONE 'UTC';
SELECT count(*) FILTER (WHERE a.s IS DISTINCT FROM b.s) AS differ_from_explicit_zone,
       count(*) FILTER (WHERE a.s IS DISTINCT FROM c.s) AS differ_from_utc
  FROM session_zone a
  JOIN (SELECT customer_id, customer_summary(ordered_at, amount, '2025-06-30 12:00+00', 'week', 'Asia/Kolkata') AS s
          FROM orders GROUP BY customer_id) AS b USING (customer_id)
  JOIN (SELECT customer_id, customer_summary(ordered_at, amount, '2025-06-30 12:00+00', 'week') AS s
          FROM orders GROUP BY customer_id) AS c USING (customer_id);

-- As a window aggregate: a running summary per customer; every row equals the same orders summarised from
-- scratch (the final function leaves the state as it is).
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE running IS DISTINCT FROM from_scratch) AS mismatches
  FROM (SELECT customer_id, ordered_at,
               customer_summary(ordered_at, 1.0, '2025-06-30') OVER (PARTITION BY customer_id ORDER BY ordered_at)
                 AS running,
               (SELECT customer_summary(o2.ordered_at, 1.0, '2025-06-30') FROM orders o2
                 WHERE o2.customer_id = o.customer_id AND o2.ordered_at <= o.ordered_at) AS from_scratch
          FROM orders o WHERE customer_id <= 200) AS w;

-- A forced parallel plan (Partial and Finalize Aggregate, states serialised between processes) gives the serial
-- result; the same for one big group, whose day list is merged from the workers' lists.
CREATE TABLE many_orders AS
SELECT 1 + (i % 20000) AS customer_id, timestamptz '2023-01-01' + (i % 997) * interval '17 hours' AS ordered_at,
       (i % 89)::float8 AS amount
  FROM generate_series(1, 200000) AS i;
ANALYZE many_orders;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT customer_id % 10 AS g, customer_summary(ordered_at, amount, '2024-01-31', 'week') FROM many_orders GROUP BY 1;
CREATE TEMP TABLE parallel_result AS
SELECT customer_id % 10 AS g, customer_summary(ordered_at, amount, '2024-01-31', 'week') AS s
  FROM many_orders GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT customer_summary(ordered_at, amount, '2024-01-31', 'month', 'Europe/Berlin') AS s FROM many_orders;
CREATE TEMP TABLE parallel_whole AS
SELECT customer_summary(ordered_at, amount, '2024-01-31', 'month', 'Europe/Berlin') AS s FROM many_orders;
RESET enable_hashagg;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (p.s).frequency <> (q.s).frequency OR (p.s).t <> (q.s).t
                           OR (p.s).recency <> (q.s).recency OR (p.s).orders <> (q.s).orders
                           OR abs((p.s).monetary - (q.s).monetary) > 1e-9
                           OR abs((p.s).revenue - (q.s).revenue) > 1e-6
                           OR (p.s).first_order <> (q.s).first_order OR (p.s).last_order <> (q.s).last_order
                           OR (p.s).holdout_frequency <> (q.s).holdout_frequency
                           OR (p.s).holdout_orders <> (q.s).holdout_orders) AS mismatches
  FROM parallel_result p
  JOIN (SELECT customer_id % 10 AS g, customer_summary(ordered_at, amount, '2024-01-31', 'week') AS s
          FROM many_orders GROUP BY 1) AS q USING (g);
SELECT (p.s).frequency = (q.s).frequency AND (p.s).recency = (q.s).recency AND (p.s).t = (q.s).t
         AND (p.s).holdout_frequency = (q.s).holdout_frequency AND (p.s).orders = (q.s).orders
         AND abs((p.s).monetary - (q.s).monetary) < 1e-9 AS same_whole_table_summary,
       (q.s).frequency, (q.s).holdout_frequency
  FROM parallel_whole p,
       (SELECT customer_summary(ordered_at, amount, '2024-01-31', 'month', 'Europe/Berlin') AS s FROM many_orders) q;
RESET max_parallel_workers_per_gather;
