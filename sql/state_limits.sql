-- Hand-made and extreme states of the float8[] aggregates (issue 10): counters are whole numbers from 0 to
-- 2^53, a retract never makes one negative, and NULL rows in a moving frame are ignored.
\set VERBOSITY terse
-- a counter beyond 2^53 (doubles stop counting exactly there): 22023, not an int64 overflow
SELECT nps_stats_final('{1e308,3,2}');
SELECT nps_final('{1e16,0,0}');
-- exactly 2^53 is still a count
SELECT (nps_stats_final('{9007199254740992,0,0}')).respondents;
-- a combine whose sum passes 2^53: 22003
SELECT nps_combine('{9007199254740992,0,0}', '{2,0,0}');
-- removing by hand a score that was never added
SELECT nps_retract('{0,0,0}', 9);
SELECT nps_retract('{0,0,1}', 9);
SELECT csat_retract('{0,0,5}', 5);
-- rfm_thresholds takes finite values only (a breakpoint is returned as data)
SELECT rfm_thresholds(r, f, m) FROM (VALUES (1.0, 2.0, 3.0), ('Infinity', 2.0, 3.0)) AS v(r, f, m);
-- retention_series in a moving frame with a row whose span is NULL: ignored, as in the plain aggregate
SELECT i, (s[1]).at_start, (s[1]).at_end
  FROM (SELECT i, retention_series(a, b, timestamptz '2024-01-01', interval '1 month', 2)
                    OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s
          FROM (VALUES (1, NULL::timestamptz, NULL::timestamptz),
                       (2, timestamptz '2023-12-01', NULL),
                       (3, timestamptz '2023-11-01', timestamptz '2024-01-15')) AS v(i, a, b)) AS w
 ORDER BY i;
