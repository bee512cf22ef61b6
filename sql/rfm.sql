-- RFM: the window function against hand computations and an independent plain-SQL formulation of its quantile
-- rule on random data with many ties, buckets, partitions, NULLs, stored breakpoints (rfm_thresholds and the
-- scalar rfm_score), the segment map, errors with their SQLSTATE and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- The rule: among the n rows of the partition with no NULL input, a value scores 1 + floor(k * below / n), below
-- = rows with a strictly worse value (smaller frequency or monetary, larger days_since_last).
-- Ten customers by hand, k = 5: days 1..10 -> R 5,5,4,4,3,3,2,2,1,1 (day 1 beats 9 rows: 1 + floor(45/10) = 5).
-- Frequencies 1,2,3,0,1,2,3,0,1,2: 0 beats none -> 1; 1 beats 2 -> 2; 2 beats 5 -> 3 (1 + floor(25/10));
-- 3 beats 8 -> 5. Monetary 1.5 .. 15 distinct -> 1,1,2,2,3,3,4,4,5,5.
CREATE TABLE ten AS SELECT i AS id, i AS days, i % 4 AS freq, i * 1.5 AS money FROM generate_series(1, 10) AS i;
SELECT id, days, freq, money, (rfm_score(days, freq, money) OVER ()).*
  FROM ten ORDER BY id;
-- Ties are never split: each frequency has one F score, where ntile(5) puts the three customers with
-- frequency 1 in buckets 2 and 3 and those with frequency 2 in buckets 3 and 4.
SELECT freq, count(*) AS customers, count(DISTINCT (s).f) AS distinct_f_scores,
       string_agg(DISTINCT nt::text, ',') AS ntile_buckets
  FROM (SELECT freq, rfm_score(days, freq, money) OVER () AS s, ntile(5) OVER (ORDER BY freq) AS nt FROM ten) AS w
 GROUP BY freq ORDER BY freq;

-- Random customers with many ties (few distinct values), in three partitions. The plain-SQL formulation of the
-- rule uses rank() (1 + number of strictly smaller values in ascending order) and count(*) over the rows without
-- NULLs; it is compared row by row for 2, 3, 5 and 9 buckets.
SELECT setseed(0.12);
CREATE TABLE customers AS
SELECT i AS id, i % 3 AS region,
       CASE WHEN i % 97 = 0 THEN NULL ELSE floor(random() * 60) END AS days,
       CASE WHEN i % 89 = 0 THEN NULL ELSE floor(-ln(1 - random()) * 2) END AS freq,
       CASE WHEN i % 83 = 0 THEN NULL ELSE round((random() * 40)::numeric, 0)::float8 END AS money
  FROM generate_series(1, 6000) AS i;
CREATE TABLE buckets (k integer);
INSERT INTO buckets VALUES (2), (3), (5), (9);
WITH scored AS (
  SELECT b.k, c.id, rfm_score(c.days, c.freq, c.money, b.k) OVER (PARTITION BY b.k, c.region) AS s
    FROM buckets b CROSS JOIN customers c
), plain AS (
  SELECT b.k, c.id,
         1 + b.k * (rank() OVER (PARTITION BY b.k, c.region ORDER BY c.days DESC) - 1)
               / count(*) OVER (PARTITION BY b.k, c.region) AS r,
         1 + b.k * (rank() OVER (PARTITION BY b.k, c.region ORDER BY c.freq) - 1)
               / count(*) OVER (PARTITION BY b.k, c.region) AS f,
         1 + b.k * (rank() OVER (PARTITION BY b.k, c.region ORDER BY c.money) - 1)
               / count(*) OVER (PARTITION BY b.k, c.region) AS m
    FROM buckets b CROSS JOIN customers c
   WHERE c.days IS NOT NULL AND c.freq IS NOT NULL AND c.money IS NOT NULL
)
SELECT k, count(*) AS rows, count(s) AS scored, count(p.id) AS plain_scored,
       count(*) FILTER (WHERE (s).r IS DISTINCT FROM p.r OR (s).f IS DISTINCT FROM p.f
                           OR (s).m IS DISTINCT FROM p.m) AS mismatches,
       min((s).r) AS min_r, max((s).r) AS max_r, max((s).f) AS max_f, max((s).m) AS max_m
  FROM scored LEFT JOIN plain p USING (k, id)
 GROUP BY k ORDER BY k;
-- Rows with a NULL input get NULL and take no part in the ranking (the plain formulation above leaves them out).
SELECT count(*) AS all_rows, count(s) AS scored,
       count(*) FILTER (WHERE days IS NULL OR freq IS NULL OR money IS NULL) AS with_null_input
  FROM (SELECT days, freq, money, rfm_score(days, freq, money) OVER (PARTITION BY region) AS s FROM customers) AS w;
-- Equal values share their score in every partition and dimension.
SELECT count(*) AS value_groups_split
  FROM (SELECT region, days, count(DISTINCT (s).r) AS scores
          FROM (SELECT region, days, rfm_score(days, freq, money) OVER (PARTITION BY region) AS s FROM customers) w
         WHERE s IS NOT NULL GROUP BY region, days) AS g
 WHERE scores > 1;
-- The frame and the window's ORDER BY do not change the scores (the whole partition is ranked).
SELECT count(*) FILTER (WHERE a IS DISTINCT FROM b) AS differ
  FROM (SELECT rfm_score(days, freq, money) OVER (PARTITION BY region) AS a,
               rfm_score(days, freq, money) OVER (PARTITION BY region ORDER BY id
                                                  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS b
          FROM customers) AS w;
-- Code and segment: the code is the three digits; the segment is named for 5 buckets only.
SELECT (s).code = (s).r::text || (s).f::text || (s).m::text AS code_is_digits,
       (s).segment IS NOT DISTINCT FROM rfm_segment((s).r, (s).f, (s).m) AS segment_from_map, count(*)
  FROM (SELECT rfm_score(days, freq, money) OVER () AS s FROM customers) AS w WHERE s IS NOT NULL
 GROUP BY 1, 2;
SELECT (rfm_score(days, freq, money, 3) OVER ()).* FROM ten ORDER BY id LIMIT 3;

-- Stored breakpoints: rfm_thresholds gives k - 1 data values per dimension; ten customers: recency 9,7,5,3,
-- frequency 0,1,2,2, monetary 3,6,9,12 (the ceil(j n / k)-th worst value).
SELECT rfm_thresholds(days, freq, money) FROM ten;
SELECT (rfm_thresholds(days, freq, money, 2)).* FROM ten;
-- The scalar scores each customer against them exactly as the window scores the same rows.
CREATE TABLE stored AS SELECT region, rfm_thresholds(days, freq, money) AS b FROM customers GROUP BY region;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE w.s IS DISTINCT FROM rfm_score(c.days, c.freq, c.money, st.b)) AS scalar_differs
  FROM customers c JOIN stored st USING (region)
  JOIN (SELECT id, rfm_score(days, freq, money) OVER (PARTITION BY region) AS s FROM customers) AS w USING (id)
 WHERE c.days IS NOT NULL AND c.freq IS NOT NULL AND c.money IS NOT NULL;
-- A new customer is scored without ranking anyone: bought yesterday, 3 times, 35 per order.
SELECT region, (rfm_score(1, 3, 35, b)).* FROM stored ORDER BY region;
-- Breakpoints edited by hand are accepted when well formed.
SELECT (rfm_score(10, 4, 100, '(3,"{30,7}","{1,3}","{50,80}",0)'::rfm_breakpoints)).*;
-- NULL inputs or no rows.
SELECT rfm_score(NULL, 1, 1, b) IS NULL AS null_input FROM stored WHERE region = 0;
SELECT rfm_thresholds(days, freq, money) IS NULL AS empty FROM customers WHERE false;
SELECT rfm_thresholds(d, f, m) IS NULL AS only_null_rows FROM (VALUES (1, NULL::float8, 1.0)) AS v(d, f, m);
SELECT count(*) AS window_rows FROM (SELECT rfm_score(days, freq, money) OVER () FROM customers WHERE false) AS w;

-- The segment map: every one of the 125 codes in exactly one of the 11 segments (the table of docs/rfm.md).
SELECT rfm_segment(r, f, m) AS segment, count(*) AS codes,
       string_agg(r::text || f::text || m::text, ' ' ORDER BY r DESC, f DESC, m DESC) AS code_list
  FROM generate_series(1, 5) AS r, generate_series(1, 5) AS f, generate_series(1, 5) AS m
 GROUP BY 1
 ORDER BY array_position(ARRAY['Champions', 'Loyal', 'Potential Loyalist', 'New Customers', 'Promising',
                               'Need Attention', 'About To Sleep', 'At Risk', 'Cannot Lose Them', 'Hibernating',
                               'Lost'], rfm_segment(r, f, m));
SELECT rfm_segment('545') AS from_code, rfm_segment(5, 4, 5) AS from_scores, rfm_segment(NULL, 1, 1) IS NULL AS null_score;

-- Errors: a score outside 1-5 is 22003; a malformed code, bad buckets, NaN inputs or bad breakpoints 22023;
-- NULL buckets 22004.
SELECT rfm_segment(6, 1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_segment(3, 0, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_segment('516');
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_segment('5a5');
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_segment('5555');
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(days, freq, money, 1) OVER () FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(days, freq, money, 10) OVER () FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(days, freq, money, NULL::integer) OVER () FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(days, freq, money, id % 2 + 2) OVER () FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(days, 'NaN', money) OVER () FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_thresholds(days, freq, money, 0) FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_thresholds(days, freq, money, id % 2 + 2) FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_thresholds(days, freq, 'NaN') FROM ten;
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(1, 1, 1, '(3,"{7,30}","{1,3}","{50,80}",0)'::rfm_breakpoints);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(1, 1, 1, '(5,"{30,7}","{1,3}","{50,80}",0)'::rfm_breakpoints);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(1, 1, 1, '(3,"{30,7}",,"{50,80}",0)'::rfm_breakpoints);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(1, 1, 1, '(3,"{30,7}","{1,NULL}","{50,80}",0)'::rfm_breakpoints);
\echo :LAST_ERROR_SQLSTATE
SELECT rfm_score(1, 'NaN', 1, '(3,"{30,7}","{1,3}","{50,80}",0)'::rfm_breakpoints);
\echo :LAST_ERROR_SQLSTATE

-- A forced parallel plan for rfm_thresholds (partial states serialised between processes) gives the serial
-- breakpoints.
CREATE TABLE rfm_many_customers AS
SELECT i AS id, (i * 7919) % 365 AS days, (i * 31) % 11 AS freq, ((i::bigint * 104729) % 10007) / 10.0 AS money
  FROM generate_series(1, 100000) AS i;
ANALYZE rfm_many_customers;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT rfm_thresholds(days, freq, money) FROM rfm_many_customers;
CREATE TEMP TABLE parallel_result AS
SELECT rfm_thresholds(days, freq, money) AS b, rfm_thresholds(days, freq, money, 4) AS b4 FROM rfm_many_customers;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.b = s.b AS same_breakpoints, p.b4 = s.b4 AS same_breakpoints_4, s.b
  FROM parallel_result p,
       (SELECT rfm_thresholds(days, freq, money) AS b, rfm_thresholds(days, freq, money, 4) AS b4
          FROM rfm_many_customers) AS s;
RESET max_parallel_workers_per_gather;
