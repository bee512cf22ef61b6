-- nps, nps_stats: values, NULLs, empty input, errors with their SQLSTATE, GROUP BY, sliding windows and
-- parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- Reference: p = 1/2, d = 1/6, n = 324 (162 promoters, 108 passives, 54 detractors) gives NPS 33.3, SE 4.14 and
-- a 95% margin of +-8.1 (the worked example of the NPS-confidence literature; closed form: SE =
-- 100*sqrt((p + d - (p - d)^2)/n) = 100*sqrt((5/9)/324) = 4.1409, margin 1.959964*4.1409 = 8.116).
CREATE TABLE survey AS
SELECT i AS id,
       CASE WHEN i <= 162 THEN 9 + i % 2 WHEN i <= 270 THEN 7 + i % 2 ELSE i % 7 END AS score
  FROM generate_series(1, 324) AS i;
SELECT round(nps(score)::numeric, 4) AS nps FROM survey;
SELECT round((s).nps::numeric, 2) AS nps, (s).respondents, (s).promoters, (s).passives, (s).detractors,
       round((s).std_error::numeric, 3) AS std_error,
       round(((s).ci_high - (s).nps)::numeric, 3) AS margin,
       round((s).ci_low::numeric, 2) AS ci_low, round((s).ci_high::numeric, 2) AS ci_high
  FROM (SELECT nps_stats(score) AS s FROM survey) AS t;
-- At 90%: z = 1.644854 (standard normal quantile), margin 1.644854 * 4.141 = 6.812.
SELECT round(((s).ci_high - (s).nps)::numeric, 3) AS margin_90
  FROM (SELECT nps_stats(score, 0.9) AS s FROM survey) AS t;

-- Category boundaries: 6 is a detractor, 7 and 8 passives, 9 a promoter.
SELECT nps(s) AS all_promoters FROM (VALUES (9), (10)) AS v(s);
SELECT nps(s) AS all_detractors FROM (VALUES (0), (6)) AS v(s);
SELECT nps(s) AS all_passives FROM (VALUES (7), (8)) AS v(s);
-- The interval never leaves [-100, 100], and one answer has no spread.
SELECT (nps_stats(s)).* FROM (VALUES (10)) AS v(s);

-- NULLs are ignored; only NULLs, or no rows, give NULL.
SELECT nps(s) AS with_nulls FROM (VALUES (10), (NULL), (0), (NULL)) AS v(s);
SELECT nps(s) IS NULL AS only_nulls FROM (VALUES (NULL::integer), (NULL)) AS v(s);
SELECT nps(score) IS NULL AS empty, nps_stats(score) IS NULL AS empty_stats FROM survey WHERE false;
SELECT nps_stats(s, 0.9) IS NULL AS null_level_rows_ignored FROM (VALUES (10)) AS v(s) WHERE false;

-- Bad input: a score outside 0-10 is 22003; a confidence level outside (0, 1) or changing within a group, 22023.
SELECT nps(s) FROM (VALUES (5), (11)) AS v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT nps(s) FROM (VALUES (-1)) AS v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT nps_stats(s, 1.5) FROM (VALUES (5)) AS v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT nps_stats(s, 0) FROM (VALUES (5)) AS v(s);
\echo :LAST_ERROR_SQLSTATE
SELECT nps_stats(s, c) FROM (VALUES (5, 0.9), (6, 0.95)) AS v(s, c);
\echo :LAST_ERROR_SQLSTATE
-- A malformed state handed to a support function directly is refused, never trusted.
SELECT nps_final('{1,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT nps_final('{-1,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT nps_final('{1,NULL,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT nps_combine('{1,0,0}', '{0.5,0,0}');
\echo :LAST_ERROR_SQLSTATE
-- Called directly, support functions do not modify their argument.
SELECT nps_accum(s, 10) AS accumulated, s AS unchanged FROM (VALUES ('{1,2,3}'::float8[])) AS v(s);

-- GROUP BY.
CREATE TABLE responses AS
SELECT i AS id, 'store ' || (i % 3) AS store, day, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7) % 11 END AS score
  FROM generate_series(1, 3000) AS i, LATERAL (SELECT date '2026-01-01' + i / 30 AS day) AS d;
SELECT store, round(nps(score)::numeric, 3) AS nps, count(score) AS answers,
       round((100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))
              / count(score))::numeric, 3) AS plain_sql
  FROM responses GROUP BY store ORDER BY store;

-- Sliding windows use the inverse transition; every row equals the same frame recomputed from scratch.
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE moving IS DISTINCT FROM from_scratch) AS mismatches
  FROM (SELECT id, nps(score) OVER (ORDER BY id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT nps(r2.score) FROM responses r2 WHERE r2.id BETWEEN r.id - 6 AND r.id) AS from_scratch
          FROM responses r) AS w;
SELECT count(*) FILTER (WHERE (moving).ci_low IS DISTINCT FROM (from_scratch).ci_low) AS stats_mismatches
  FROM (SELECT nps_stats(score, 0.8) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT nps_stats(r2.score, 0.8) FROM responses r2 WHERE r2.id BETWEEN r.id - 29 AND r.id)
                 AS from_scratch
          FROM responses r) AS w;
-- A rolling 30-day NPS per store (RANGE frame over dates).
SELECT store, day, round(rolling::numeric, 2) AS rolling_30_day_nps
  FROM (SELECT store, day, nps(score) OVER (PARTITION BY store ORDER BY day
                                            RANGE BETWEEN INTERVAL '29 days' PRECEDING AND CURRENT ROW) AS rolling
          FROM responses) AS w
 WHERE day = date '2026-04-10' GROUP BY store, day, rolling ORDER BY store;

-- A forced parallel plan (Partial and Finalize Aggregate) gives the serial result.
CREATE TABLE many_responses AS SELECT i AS id, (i * 13) % 11 AS score FROM generate_series(1, 200000) AS i;
ANALYZE many_responses;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT nps(score), nps_stats(score), nps_stats(score, 0.9) FROM many_responses;
CREATE TEMP TABLE parallel_result AS
SELECT nps(score) AS nps, nps_stats(score) AS stats, nps_stats(score, 0.9) AS stats90 FROM many_responses;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.nps = s.nps AS same_nps, p.stats = s.stats AS same_stats, p.stats90 = s.stats90 AS same_stats90,
       round(s.nps::numeric, 4) AS nps
  FROM parallel_result p,
       (SELECT nps(score) AS nps, nps_stats(score) AS stats, nps_stats(score, 0.9) AS stats90
          FROM many_responses) AS s;
RESET max_parallel_workers_per_gather;
