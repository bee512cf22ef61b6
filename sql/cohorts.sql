-- cohort_period (window function and scalar) and cohort_retention: values, calendar conventions, time zones,
-- the matrix against plain SQL on random data, NULLs, errors and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Calendar periods since each customer's first event (rows in any order; the first event is the earliest).
CREATE TABLE events (customer_id integer, ts timestamptz);
INSERT INTO events VALUES
  (1, '2024-02-01 09:00'), (1, '2024-01-31 23:00'), (1, '2024-03-31'), (1, '2024-12-30'), (1, NULL),
  (2, '2023-12-31'), (2, '2024-01-01'), (2, '2024-01-08');
SELECT customer_id, ts,
       cohort_period(ts, 'month') OVER w AS month, cohort_period(ts, 'day') OVER w AS day,
       cohort_period(ts, 'week') OVER w AS week, cohort_period(ts, 'quarter') OVER w AS quarter,
       cohort_period(ts, 'YEAR') OVER w AS year
  FROM events WINDOW w AS (PARTITION BY customer_id)
 ORDER BY customer_id, ts;
-- The partition's first event counts whatever the window's ORDER BY or frame.
SELECT customer_id, ts, cohort_period(ts, 'month') OVER (PARTITION BY customer_id ORDER BY ts DESC) AS month
  FROM events WHERE customer_id = 1 ORDER BY ts;
-- Periods are those of the session's time zone: 2024-02-01 03:00 UTC is still 31 January in New York.
SET TimeZone = 'America/New_York';
SELECT cohort_period(timestamptz '2024-01-15 12:00+00', timestamptz '2024-02-01 03:00+00', 'month') AS new_york,
       cohort_period(timestamptz '2024-01-15 12:00+00', timestamptz '2024-02-01 06:00+00', 'month') AS later;
SET TimeZone = 'UTC';
SELECT cohort_period(timestamptz '2024-01-15 12:00+00', timestamptz '2024-02-01 03:00+00', 'month') AS utc;
-- Events before the cohort start give negative periods; NULL arguments give NULL.
SELECT cohort_period('2024-05-01', '2024-02-10', 'month') AS before_start,
       cohort_period(NULL, '2024-02-10', 'month') IS NULL AS null_start,
       cohort_period('2024-05-01', '2024-02-10', NULL) IS NULL AS null_unit;

-- The scalar equals plain SQL with date_trunc on random pairs, for every unit, in a zone with daylight saving.
SET TimeZone = 'Europe/Berlin';
SELECT setseed(0.25);
CREATE TEMP TABLE pairs AS
SELECT timestamptz '2022-01-01' + random() * interval '900 days' AS a,
       timestamptz '2022-01-01' + random() * interval '900 days' AS b
  FROM generate_series(1, 5000);
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE cohort_period(a, b, 'day') <> b::date - a::date) AS day_mismatches,
       count(*) FILTER (WHERE cohort_period(a, b, 'week')
                              <> (date_trunc('week', b)::date - date_trunc('week', a)::date) / 7) AS week_mismatches,
       count(*) FILTER (WHERE cohort_period(a, b, 'month')
                              <> (extract(year FROM b) - extract(year FROM a)) * 12
                                 + extract(month FROM b) - extract(month FROM a)) AS month_mismatches,
       count(*) FILTER (WHERE cohort_period(a, b, 'quarter')
                              <> (extract(year FROM b) - extract(year FROM a)) * 4
                                 + extract(quarter FROM b) - extract(quarter FROM a)) AS quarter_mismatches,
       count(*) FILTER (WHERE cohort_period(a, b, 'year') <> extract(year FROM b) - extract(year FROM a))
         AS year_mismatches
  FROM pairs;
SET TimeZone = 'UTC';

-- cohort_retention over one row per customer: cohort_size, "returned in period k" and "in period k or later".
-- Cohort A: customer 1 active in periods {0, 1, 3}, customer 2 in {0, 0, 2} (duplicates count once),
-- customer 3 in {0}, customer 4 in {0, NULL}: k = 0: 4 and 4; k = 1: 1 and 2; k = 2: 1 and 2; k = 3: 1 and 1.
CREATE TABLE cohort_members (cohort text, customer_id integer, periods integer[]);
INSERT INTO cohort_members VALUES
  ('A', 1, '{3,0,1}'), ('A', 2, '{0,0,2}'), ('A', 3, '{0}'), ('A', 4, '{0,NULL}'),
  ('B', 5, '{0}'), ('B', 6, '{}'), ('B', 7, NULL);
SELECT cohort, cell.*
  FROM (SELECT cohort, cohort_retention(periods) AS m FROM cohort_members GROUP BY cohort) AS t, unnest(t.m) AS cell
 ORDER BY cohort, period;
-- Cohort B: the empty array counts in the cohort size only, the NULL array is ignored.
SELECT cohort_retention(periods) FROM cohort_members WHERE cohort = 'B';
-- No rows: NULL; customers without any period: an empty matrix.
SELECT cohort_retention(periods) IS NULL AS no_rows FROM cohort_members WHERE false;
SELECT cohort_retention(periods) AS nobody_active FROM cohort_members WHERE customer_id = 6;

-- The monthly cohort matrix on random orders equals a plain-SQL computation, cell by cell.
SELECT setseed(0.75);
-- Customers order 1 to 10 times at random within a personal lifetime of up to 400 days.
CREATE TABLE orders_random AS
SELECT c.customer_id, c.first_at + random() * c.lifetime AS ordered_at
  FROM (SELECT i AS customer_id, timestamptz '2023-01-01' + random() * interval '365 days' AS first_at,
               random() ^ 2 * interval '400 days' AS lifetime, 1 + floor(random() * 10)::integer AS orders
          FROM generate_series(1, 1500) AS i) AS c,
       LATERAL generate_series(1, c.orders) AS n;
CREATE TEMP TABLE matrix_extension AS
WITH events AS (
  SELECT customer_id, ordered_at,
         cohort_period(ordered_at, 'month') OVER (PARTITION BY customer_id) AS period
    FROM orders_random),
customers AS (
  SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort, array_agg(period) AS periods
    FROM events GROUP BY customer_id)
SELECT t.cohort, cell.*
  FROM (SELECT cohort, cohort_retention(periods) AS m FROM customers GROUP BY cohort) AS t, unnest(t.m) AS cell;
CREATE TEMP TABLE matrix_plain_sql AS
WITH firsts AS (
  SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort FROM orders_random GROUP BY customer_id),
active AS (
  SELECT DISTINCT o.customer_id, f.cohort,
         ((extract(year FROM o.ordered_at) - extract(year FROM f.cohort)) * 12
          + extract(month FROM o.ordered_at) - extract(month FROM f.cohort))::integer AS period
    FROM orders_random o JOIN firsts f USING (customer_id)),
last_period AS (SELECT customer_id, cohort, max(period) AS last FROM active GROUP BY customer_id, cohort),
grid AS (
  SELECT cohort, k FROM (SELECT cohort, max(last) AS reach FROM last_period GROUP BY cohort) AS r,
                        generate_series(0, r.reach) AS k)
SELECT g.cohort, g.k AS period,
       (SELECT count(*) FROM firsts f WHERE f.cohort = g.cohort) AS cohort_size,
       (SELECT count(*) FROM active a WHERE a.cohort = g.cohort AND a.period = g.k) AS retained,
       (SELECT count(*) FROM last_period l WHERE l.cohort = g.cohort AND l.last >= g.k) AS retained_or_later
  FROM grid g;
SELECT (SELECT count(*) FROM matrix_extension) AS cells,
       (SELECT count(DISTINCT cohort) FROM matrix_extension) AS cohorts,
       (SELECT count(*) FROM (SELECT cohort, period, cohort_size, retained, retained_or_later FROM matrix_extension
                              EXCEPT SELECT * FROM matrix_plain_sql) AS d) AS only_in_extension,
       (SELECT count(*) FROM (SELECT * FROM matrix_plain_sql
                              EXCEPT SELECT cohort, period, cohort_size, retained, retained_or_later
                                FROM matrix_extension) AS d) AS only_in_plain_sql,
       (SELECT count(*) FROM matrix_extension
         WHERE rate <> retained::float8 / cohort_size
            OR rate_or_later <> retained_or_later::float8 / cohort_size) AS rate_mismatches;
-- The first cohorts' first periods, as a BI tool would pivot them.
SELECT cohort::date, period, cohort_size, retained, round(rate::numeric, 4) AS rate, retained_or_later,
       round(rate_or_later::numeric, 4) AS rate_or_later
  FROM matrix_extension WHERE cohort < '2023-03-01' AND period <= 3 ORDER BY cohort, period;

-- Bad input: an unknown unit or a negative period is 22023, a period above 100000 is 54000, an infinite
-- timestamp 22008; malformed states are refused.
SELECT cohort_period(ts, 'fortnight') OVER (PARTITION BY customer_id) FROM events;
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_period('2024-01-01', '2024-02-01', 'months');
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_period('-infinity', '2024-02-01', 'month');
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention(p) FROM (VALUES ('{0,-1}'::integer[])) AS v(p);
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention(p) FROM (VALUES ('{0,100001}'::integer[])) AS v(p);
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention_final('{1,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention_final('{1,1,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention_final('{1,2,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_retention_combine('{1,1,1}', '{1,0.5,1}');
\echo :LAST_ERROR_SQLSTATE
-- Called directly, support functions do not modify their argument; states of different lengths combine.
SELECT cohort_retention_accum(s, '{2}') AS accumulated, s AS unchanged FROM (VALUES ('{1,1,1}'::float8[])) AS v(s);
SELECT cohort_retention_combine('{1,1,1}', '{2,2,1,1,1}') AS combined, cohort_retention_combine('{2,2,1,1,1}', '{1,1,1}') AS reversed;

-- A forced parallel plan (Partial and Finalize Aggregate) gives the serial result.
CREATE TABLE many_customers AS
SELECT i AS customer_id, i % 12 AS cohort,
       array(SELECT DISTINCT (j * i) % (1 + i % 30) FROM generate_series(0, i % 7) AS j) AS periods
  FROM generate_series(1, 100000) AS i;
ANALYZE many_customers;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT cohort_retention(periods) FROM many_customers;
CREATE TEMP TABLE parallel_result AS SELECT cohort_retention(periods) AS m FROM many_customers;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.m = s.m AS same_matrix, cardinality(s.m) AS periods, (s.m[1]).cohort_size
  FROM parallel_result p, (SELECT cohort_retention(periods) AS m FROM many_customers) AS s;
RESET max_parallel_workers_per_gather;
