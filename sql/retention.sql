-- retention_rate, churn_rate, retention_stats (activity spans and the inactivity overload) and retention_series:
-- boundary conventions, values against plain SQL, NULLs, empty input, errors, windows and parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- Hand-made spans around January 2024 = [2024-01-01, 2024-02-01). A customer counts at a boundary t when
-- active_from < t < active_until (NULL active_until: still active).
CREATE TABLE jan_spans (name text, active_from timestamptz, active_until timestamptz);
INSERT INTO jan_spans VALUES
  ('a kept, open',              '2023-06-01', NULL),
  ('b churned mid-period',      '2023-06-01', '2024-01-15'),
  ('c churned at the end',      '2023-12-01', '2024-02-01'),
  ('d left at the start',       '2023-12-01', '2024-01-01'),
  ('e new at the start',        '2024-01-01', NULL),
  ('f came and went',           '2024-01-10', '2024-01-20'),
  ('g begins at the end',       '2024-02-01', NULL),
  ('h kept, ends later',        '2023-01-01', '2024-03-01'),
  ('i unknown start: ignored',  NULL,         '2024-01-20');
-- S = {a, b, c, h} = 4, E = {a, e, h} = 3, N = {e} = 1, C = {b, c} = 2: retention (3 - 1)/4 = 0.5, churn 2/4.
-- Wilson 95% interval of 2/4 (closed form, Python): 0.150039 to 0.849961.
SELECT retention_rate(active_from, active_until, '2024-01-01', '2024-02-01') AS retention,
       churn_rate(active_from, active_until, '2024-01-01', '2024-02-01') AS churn
  FROM jan_spans;
SELECT period_start, period_end, at_start, at_end, new_customers, churned, retention_rate, churn_rate,
       round(churn_ci_low::numeric, 6) AS churn_ci_low, round(churn_ci_high::numeric, 6) AS churn_ci_high
  FROM (SELECT (retention_stats(active_from, active_until, '2024-01-01', '2024-02-01')).* FROM jan_spans) AS s;
-- The same counts in plain SQL, from the definitions.
SELECT count(*) FILTER (WHERE active_from < ps AND (active_until IS NULL OR active_until > ps)) AS at_start,
       count(*) FILTER (WHERE active_from < pe AND (active_until IS NULL OR active_until > pe)) AS at_end,
       count(*) FILTER (WHERE active_from >= ps AND active_from < pe
                          AND (active_until IS NULL OR active_until > pe)) AS new_customers,
       count(*) FILTER (WHERE active_from < ps AND active_until > ps AND active_until <= pe) AS churned
  FROM jan_spans, (VALUES (timestamptz '2024-01-01', timestamptz '2024-02-01')) AS p(ps, pe);

-- NULL and empty input: no rows (or only ignored rows) give NULL; nobody at the start gives NULL rates but the
-- counts of the period.
SELECT retention_rate(active_from, active_until, '2024-01-01', '2024-02-01') IS NULL AS rate_null,
       churn_rate(active_from, active_until, '2024-01-01', '2024-02-01') IS NULL AS churn_null,
       retention_stats(active_from, active_until, '2024-01-01', '2024-02-01') IS NULL AS stats_null,
       retention_series(active_from, active_until, '2024-01-01', '1 month', 3) IS NULL AS series_null
  FROM jan_spans WHERE false;
SELECT retention_rate(active_from, active_until, '2024-01-01', '2024-02-01') IS NULL AS only_ignored_rows
  FROM jan_spans WHERE active_from IS NULL;
SELECT retention_rate(active_from, active_until, '2024-01-01', '2024-02-01') IS NULL AS nobody_at_start,
       (retention_stats(active_from, active_until, '2024-01-01', '2024-02-01')).*
  FROM jan_spans WHERE name LIKE 'e%' OR name LIKE 'f%';
-- A NULL period bound makes the row ignored, like a NULL active_from.
SELECT retention_rate(active_from, active_until, '2024-01-01', CASE WHEN name LIKE 'b%' THEN NULL
                                                                     ELSE timestamptz '2024-02-01' END)
       AS without_b
  FROM jan_spans;

-- Non-contractual: active from the first order until last_order + inactivity.
CREATE TABLE buyers (name text, first_order timestamptz, last_order timestamptz);
INSERT INTO buyers VALUES
  ('kept: 2024-01-10 + 30 days = 2024-02-09',   '2023-05-01', '2024-01-10'),
  ('churned: 2023-12-15 + 30 days = 2024-01-14', '2023-05-01', '2023-12-15'),
  ('gone before: 2023-11-01 + 30 days',          '2023-02-01', '2023-11-01'),
  ('new: first order 2024-01-05',                '2024-01-05', '2024-01-25'),
  ('new, gone: 2024-01-02 + 30 days',            '2024-01-02', '2024-01-02'),
  ('no last order: ignored',                     '2023-05-01', NULL);
-- S = 2 (kept, churned), E = 2 (kept, new), N = 1, C = 1: retention 0.5, churn 0.5.
SELECT (retention_stats(first_order, last_order, interval '30 days', '2024-01-01', '2024-02-01')).*
  FROM buyers;
-- A month-long inactivity uses calendar months: 2023-12-15 + 1 month = 2024-01-15 (churned), 2024-01-10 +
-- 1 month = 2024-02-10 (kept), 2023-11-01 + 1 month = 2023-12-01 (gone before).
SELECT retention_rate(first_order, last_order, interval '1 month', '2024-01-01', '2024-02-01') AS retention,
       churn_rate(first_order, last_order, interval '1 month', '2024-01-01', '2024-02-01') AS churn
  FROM buyers;

-- Random spans: retention_stats equals the plain-SQL counts and the closed-form Wilson interval, per segment.
SELECT setseed(0.5);
CREATE TABLE spans AS
SELECT id, id % 4 AS segment, active_from,
       CASE WHEN r < 0.3 THEN NULL ELSE active_from + floor(r2 * 400) * interval '1 day' END AS active_until
  FROM (SELECT i AS id,
               timestamptz '2023-01-01' + floor(random() * 700) * interval '1 day'
                 + floor(random() * 4) * interval '6 hours' AS active_from,
               random() AS r, random() AS r2
          FROM generate_series(1, 20000) AS i) AS g;
CREATE TEMP TABLE by_extension AS
SELECT segment, (retention_stats(active_from, active_until, '2023-10-01', '2024-01-01')).*
  FROM spans GROUP BY segment;
CREATE TEMP TABLE by_plain_sql AS
SELECT segment, s AS at_start, e AS at_end, n AS new_customers, c AS churned,
       (e - n)::float8 / s AS retention_rate, c::float8 / s AS churn_rate,
       -- Wilson (1927): (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z = 1.959963984540054
       ((c::float8 / s + 1.959963984540054 ^ 2 / (2 * s))
        - 1.959963984540054 * sqrt(c::float8 / s * (1 - c::float8 / s) / s + 1.959963984540054 ^ 2 / (4.0 * s * s)))
         / (1 + 1.959963984540054 ^ 2 / s) AS churn_ci_low,
       ((c::float8 / s + 1.959963984540054 ^ 2 / (2 * s))
        + 1.959963984540054 * sqrt(c::float8 / s * (1 - c::float8 / s) / s + 1.959963984540054 ^ 2 / (4.0 * s * s)))
         / (1 + 1.959963984540054 ^ 2 / s) AS churn_ci_high
  FROM (SELECT segment,
               count(*) FILTER (WHERE active_from < ps AND (active_until IS NULL OR active_until > ps)) AS s,
               count(*) FILTER (WHERE active_from < pe AND (active_until IS NULL OR active_until > pe)) AS e,
               count(*) FILTER (WHERE active_from >= ps AND active_from < pe
                                  AND (active_until IS NULL OR active_until > pe)) AS n,
               count(*) FILTER (WHERE active_from < ps AND active_until > ps AND active_until <= pe) AS c
          FROM spans, (VALUES (timestamptz '2023-10-01', timestamptz '2024-01-01')) AS p(ps, pe)
         GROUP BY segment) AS counts;
SELECT x.segment, x.at_start, x.at_end, x.new_customers, x.churned,
       round(x.retention_rate::numeric, 6) AS retention_rate, round(x.churn_rate::numeric, 6) AS churn_rate,
       x.at_start = p.at_start AND x.at_end = p.at_end AND x.new_customers = p.new_customers
         AND x.churned = p.churned AS same_counts,
       x.retention_rate = p.retention_rate AND x.churn_rate = p.churn_rate AS same_rates,
       abs(x.churn_ci_low - p.churn_ci_low) < 1e-12 AND abs(x.churn_ci_high - p.churn_ci_high) < 1e-12
         AS same_interval,
       abs(x.retention_rate + x.churn_rate - 1) < 1e-15 AS rates_add_up
  FROM by_extension x JOIN by_plain_sql p USING (segment) ORDER BY segment;
-- The inactivity overload is the span aggregate with active_until = last_order + inactivity.
SELECT count(*) FILTER (WHERE a IS DISTINCT FROM b) AS mismatches, count(*) AS segments
  FROM (SELECT segment,
               retention_stats(active_from, coalesce(active_until, active_from), interval '45 days',
                               '2023-10-01', '2024-01-01') AS a,
               retention_stats(active_from, coalesce(active_until, active_from) + interval '45 days',
                               '2023-10-01', '2024-01-01') AS b
          FROM spans GROUP BY segment) AS t;

-- retention_series: one element a period, period bounds included...
SELECT (unnest(retention_series(active_from, active_until, '2023-10-01', interval '1 month', 4))).*
  FROM jan_spans;
-- ...equal to retention_stats computed period by period (every field, per segment) ...
SELECT count(*) AS periods_checked, count(*) FILTER (WHERE s[k + 1] IS DISTINCT FROM r) AS mismatches
  FROM (SELECT segment, retention_series(active_from, active_until, '2023-03-01', interval '1 month', 12) AS s
          FROM spans GROUP BY segment) AS series
  JOIN LATERAL (SELECT k, (SELECT retention_stats(active_from, active_until,
                                                  timestamptz '2023-03-01' + k * interval '1 month',
                                                  timestamptz '2023-03-01' + (k + 1) * interval '1 month')
                             FROM spans WHERE spans.segment = series.segment) AS r
                  FROM generate_series(0, 11) AS k) AS per_period ON true;
-- ...and to the generate_series cross join users would otherwise write.
SELECT count(*) AS periods_checked,
       count(*) FILTER (WHERE (x.at_start, x.at_end, x.new_customers, x.churned)
                              IS DISTINCT FROM (p.s, p.e, p.n, p.c)) AS mismatches
  FROM (SELECT (unnest(retention_series(active_from, active_until, '2023-03-01', interval '1 month', 12))).*
          FROM spans) AS x
  JOIN (SELECT ps,
               count(*) FILTER (WHERE active_from < ps AND (active_until IS NULL OR active_until > ps)) AS s,
               count(*) FILTER (WHERE active_from < pe AND (active_until IS NULL OR active_until > pe)) AS e,
               count(*) FILTER (WHERE active_from >= ps AND active_from < pe
                                  AND (active_until IS NULL OR active_until > pe)) AS n,
               count(*) FILTER (WHERE active_from < ps AND active_until > ps AND active_until <= pe) AS c
          FROM generate_series(timestamptz '2023-03-01', '2024-02-01', interval '1 month') AS ps
               CROSS JOIN LATERAL (SELECT ps + interval '1 month' AS pe) AS b
               CROSS JOIN spans
         GROUP BY ps) AS p ON p.ps = x.period_start;
-- Periods are first + k * length, so month ends stay anchored: Jan 31, Feb 29, Mar 31, Apr 30 (2024).
SELECT period_start::date, period_end::date, at_start
  FROM unnest((SELECT retention_series(active_from, active_until, '2024-01-31', interval '1 month', 4)
                 FROM spans)) AS s;
SELECT count(*) FILTER (WHERE s[k + 1] IS DISTINCT FROM r) AS month_end_mismatches
  FROM (SELECT retention_series(active_from, active_until, '2024-01-31', interval '1 month', 4) AS s
          FROM spans) AS series,
       LATERAL (SELECT k, (SELECT retention_stats(active_from, active_until,
                                                  timestamptz '2024-01-31' + k * interval '1 month',
                                                  timestamptz '2024-01-31' + (k + 1) * interval '1 month')
                             FROM spans) AS r
                  FROM generate_series(0, 3) AS k) AS per_period;
-- Weekly periods, and a series reaching past the data (nobody at the start: NULL rates).
SELECT count(*) FILTER (WHERE s[k + 1] IS DISTINCT FROM r) AS weekly_mismatches
  FROM (SELECT retention_series(active_from, active_until, '2023-01-02', interval '7 days', 60) AS s
          FROM spans) AS series,
       LATERAL (SELECT k, (SELECT retention_stats(active_from, active_until,
                                                  timestamptz '2023-01-02' + k * interval '7 days',
                                                  timestamptz '2023-01-02' + (k + 1) * interval '7 days')
                             FROM spans) AS r
                  FROM generate_series(0, 59) AS k) AS per_period;
SELECT period_start::date, at_start, at_end, retention_rate, churn_rate
  FROM unnest((SELECT retention_series(active_from, active_until, '2021-11-01', interval '1 month', 3)
                 FROM spans)) AS s;

-- Bad input: 22023 for a period that does not end after it starts, a span that ends before it begins, a period
-- or inactivity that changes within a group, a non-positive inactivity or period length; 54000 for too many
-- periods.
SELECT retention_rate(active_from, active_until, '2024-02-01', '2024-02-01') FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT churn_rate(active_from, active_until, '2024-02-01', '2024-01-01') FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(f, u, '2024-01-01', '2024-02-01') FROM (VALUES (timestamptz '2024-01-05', timestamptz '2024-01-04')) AS v(f, u);
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(active_from, active_until, '2024-01-01', active_from + interval '1 year') FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(active_from, active_until, '1800-01-01', '2024-01-01') FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(active_from, active_until, '-infinity', '2024-01-01') FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(first_order, last_order, interval '0 days', '2024-01-01', '2024-02-01') FROM buyers;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(first_order, last_order, interval '-3 days', '2024-01-01', '2024-02-01') FROM buyers;
\echo :LAST_ERROR_SQLSTATE
SELECT churn_rate(first_order, last_order, CASE WHEN name LIKE 'new%' THEN interval '1 day' ELSE interval '2 days' END,
                  '2024-01-01', '2024-02-01') FROM buyers;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate(last_order, first_order, interval '1 day', '2024-01-01', '2024-02-01') FROM buyers;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, '2024-01-01', interval '1 month', 0) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, '2024-01-01', interval '1 month', 1000000) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, '2024-01-01', interval '-1 month', 3) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, '2024-01-01', interval '1 month -40 days', 3) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, '2024-01-01', interval '1 month',
                        CASE WHEN name LIKE 'b%' THEN 4 ELSE 3 END) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_from, active_until, active_from, interval '1 month', 3) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(active_until, active_from, '2024-01-01', interval '1 month', 3) FROM jan_spans;
\echo :LAST_ERROR_SQLSTATE
-- A malformed state handed to a support function directly is refused, never trusted.
SELECT retention_rate_final('{1,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate_final('{-1,0,0,0,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_rate_final('{2,1,0,0,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_stats_final('{1,1,0,0,1e30,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_combine('{1,1,0,0,NaN,NaN}', '{1,1,0,0,NaN,NaN,NaN,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_combine('{1,1,0,0,1704067200,1706745600}', '{1,1,0,0,1704067200,1709251200}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series_final('{1,0,0,1,1704067200,1,0,0,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series_final('{0,0,1,0,1704067200,1,0,0,1}');
\echo :LAST_ERROR_SQLSTATE
-- Support functions take states as the aggregate writes them (bounds as Unix epoch seconds), and called
-- directly they do not modify their argument.
SELECT retention_rate_final('{4,3,1,2,1704067200,1706745600}') AS from_state,
       (retention_stats_final('{4,3,1,2,1704067200,1706745600}')).period_end;
SELECT retention_accum(s, '2023-01-01', NULL, '2024-01-01', '2024-02-01') AS accumulated, s AS unchanged
  FROM (VALUES ('{4,3,1,2,1704067200,1706745600}'::float8[])) AS v(s);
SELECT (unnest(retention_series_final(retention_series_accum(NULL, '2024-01-10', NULL, '2024-01-01',
                                                             interval '1 month', 2)))).at_end;

-- Sliding windows use the inverse transitions; every row equals the same frame recomputed from scratch.
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE moving IS DISTINCT FROM from_scratch) AS stats_mismatches,
       count(*) FILTER (WHERE moving_series IS DISTINCT FROM series_from_scratch) AS series_mismatches
  FROM (SELECT id,
               retention_stats(active_from, active_until, '2023-10-01', '2024-01-01')
                 OVER (ORDER BY id ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT retention_stats(s2.active_from, s2.active_until, '2023-10-01', '2024-01-01')
                  FROM spans s2 WHERE s2.id BETWEEN s.id - 49 AND s.id) AS from_scratch,
               retention_series(active_from, active_until, '2023-10-01', interval '1 month', 3)
                 OVER (ORDER BY id ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS moving_series,
               (SELECT retention_series(s2.active_from, s2.active_until, '2023-10-01', interval '1 month', 3)
                  FROM spans s2 WHERE s2.id BETWEEN s.id - 49 AND s.id) AS series_from_scratch
          FROM spans s WHERE id <= 2000) AS w;
SELECT count(*) FILTER (WHERE moving IS DISTINCT FROM from_scratch) AS inactivity_mismatches
  FROM (SELECT churn_rate(active_from, coalesce(active_until, active_from), interval '1 month',
                          '2023-10-01', '2024-01-01')
                 OVER (ORDER BY id ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS moving,
               (SELECT churn_rate(s2.active_from, coalesce(s2.active_until, s2.active_from), interval '1 month',
                                  '2023-10-01', '2024-01-01')
                  FROM spans s2 WHERE s2.id BETWEEN s.id - 49 AND s.id) AS from_scratch
          FROM spans s WHERE id <= 2000) AS w;

-- A forced parallel plan (Partial and Finalize Aggregate) gives the serial result.
CREATE TABLE many_spans AS
SELECT s.* FROM spans s, generate_series(1, 10) AS copy;
ANALYZE many_spans;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT retention_rate(active_from, active_until, '2023-10-01', '2024-01-01'),
       retention_series(active_from, active_until, '2023-03-01', interval '1 month', 12)
  FROM many_spans;
CREATE TEMP TABLE parallel_result AS
SELECT retention_rate(active_from, active_until, '2023-10-01', '2024-01-01') AS retention,
       churn_rate(active_from, active_until, '2023-10-01', '2024-01-01') AS churn,
       retention_stats(active_from, active_until, '2023-10-01', '2024-01-01') AS stats,
       retention_stats(active_from, coalesce(active_until, active_from), interval '30 days', '2023-10-01',
                       '2024-01-01') AS inactivity_stats,
       retention_series(active_from, active_until, '2023-03-01', interval '1 month', 12) AS series
  FROM many_spans;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.retention = s.retention AS same_retention, p.churn = s.churn AS same_churn, p.stats = s.stats AS same_stats,
       p.inactivity_stats = s.inactivity_stats AS same_inactivity_stats, p.series = s.series AS same_series,
       (s.stats).at_start, round(s.retention::numeric, 6) AS retention
  FROM parallel_result p,
       (SELECT retention_rate(active_from, active_until, '2023-10-01', '2024-01-01') AS retention,
               churn_rate(active_from, active_until, '2023-10-01', '2024-01-01') AS churn,
               retention_stats(active_from, active_until, '2023-10-01', '2024-01-01') AS stats,
               retention_stats(active_from, coalesce(active_until, active_from), interval '30 days', '2023-10-01',
                               '2024-01-01') AS inactivity_stats,
               retention_series(active_from, active_until, '2023-03-01', interval '1 month', 12) AS series
          FROM many_spans) AS s;
RESET max_parallel_workers_per_gather;
