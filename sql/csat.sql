-- csat: values, scales, NULLs, empty input, errors with their SQLSTATE, GROUP BY, sliding windows and parallel
-- plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- Reference: ratings 5/4/3/2/1 with counts 10/20/10/5/5: (10 + 20) / 50 = 60% (closed form).
CREATE TABLE csat_survey AS
SELECT i AS id,
       CASE WHEN i <= 10 THEN 5 WHEN i <= 30 THEN 4 WHEN i <= 40 THEN 3 WHEN i <= 45 THEN 2 ELSE 1 END AS rating
  FROM generate_series(1, 50) AS i;
SELECT csat(rating) AS csat, csat(rating, 5) AS csat_explicit_scale FROM csat_survey;
-- On a 1-7 scale the top two boxes are 6 and 7: 2 of 4 answers.
SELECT csat(r, 7) AS csat_7 FROM (VALUES (7), (6), (5), (1)) AS v(r);
-- On a 1-10 scale: 9 and 10.
SELECT csat(r, 10) AS csat_10 FROM (VALUES (10), (9), (8)) AS v(r);

-- NULLs are ignored (rows with a NULL scale too); only NULLs, or no rows, give NULL.
SELECT csat(r) AS with_nulls FROM (VALUES (5), (NULL), (1)) AS v(r);
SELECT csat(r, s) AS null_scale_row_ignored FROM (VALUES (5, 5), (1, NULL)) AS v(r, s);
SELECT csat(r) IS NULL AS only_nulls FROM (VALUES (NULL::integer)) AS v(r);
SELECT csat(rating) IS NULL AS empty, csat(rating, 7) IS NULL AS empty_scaled FROM csat_survey WHERE false;

-- Bad input: a rating outside the scale is 22003; a scale below 3 points or changing within a group, 22023.
SELECT csat(r) FROM (VALUES (6)) AS v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT csat(r) FROM (VALUES (0)) AS v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT csat(r, 7) FROM (VALUES (8)) AS v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT csat(r, 2) FROM (VALUES (1)) AS v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT csat(r, s) FROM (VALUES (4, 5), (4, 7)) AS v(r, s);
\echo :LAST_ERROR_SQLSTATE
SELECT csat_final('{3,2,5}');
\echo :LAST_ERROR_SQLSTATE
SELECT csat_final('{1,2,2.5}');
\echo :LAST_ERROR_SQLSTATE
SELECT csat_combine('{1,2,5}', '{1,2,7}');
\echo :LAST_ERROR_SQLSTATE

-- GROUP BY, against the plain-SQL top-two-box share.
CREATE TABLE csat_responses AS
SELECT i AS id, i % 4 AS team, CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + (i * 3) % 5 END AS rating
  FROM generate_series(1, 2000) AS i;
SELECT team, round(csat(rating)::numeric, 3) AS csat,
       round((100.0 * count(*) FILTER (WHERE rating >= 4) / count(rating))::numeric, 3) AS plain_sql
  FROM csat_responses GROUP BY team ORDER BY team;

-- Sliding windows: every row equals the same frame recomputed from scratch.
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE moving IS DISTINCT FROM from_scratch) AS mismatches
  FROM (SELECT csat(rating, 5) OVER (ORDER BY id ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT csat(r2.rating, 5) FROM csat_responses r2 WHERE r2.id BETWEEN r.id - 9 AND r.id)
                 AS from_scratch
          FROM csat_responses r) AS w;

-- A forced parallel plan gives the serial result.
CREATE TABLE many_csat AS SELECT i AS id, 1 + (i * 7) % 5 AS rating FROM generate_series(1, 200000) AS i;
ANALYZE many_csat;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT csat(rating), csat(rating, 5) FROM many_csat;
CREATE TEMP TABLE parallel_csat AS SELECT csat(rating) AS c, csat(rating, 7) AS c7 FROM many_csat;
RESET ALL;
SET max_parallel_workers_per_gather = 0;
SELECT p.c = s.c AS same, p.c7 = s.c7 AS same_scaled, s.c AS csat
  FROM parallel_csat p, (SELECT csat(rating) AS c, csat(rating, 7) AS c7 FROM many_csat) AS s;
RESET max_parallel_workers_per_gather;
