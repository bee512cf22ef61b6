-- Time-zone arguments (issue 13): every function that cuts time into calendar days, weeks, months, quarters or
-- years has a form with an explicit `zone` (the meaning of AT TIME ZONE). The reference for each is the same
-- function's form without a zone under SET TimeZone = that zone (PostgreSQL's own calendar: ts::date,
-- date_trunc, timestamptz + interval): the zone form must equal it, and must not depend on the session's
-- TimeZone (checked under UTC and Asia/Tokyo). A distributed engine (Citus) does not pass the session's
-- TimeZone to its nodes, which is why the zone must be given there.

-- Orders every 7 h 13 min from 2023-12-25 to 2025-03-23 (UTC), over 7 customers: local times near midnight
-- on every day of the week, across America/Los_Angeles' DST changes (2024-03-10, 2024-11-03, 2025-03-09), month
-- ends (including 29 February) and the year end.
CREATE TABLE tz_orders AS
SELECT n, (n % 7) + 1 AS customer_id,
       timestamptz '2023-12-25 00:00:00+00' + n * interval '7 hours 13 minutes' AS ordered_at,
       ((n % 11) + 1.5)::float8 AS amount
  FROM generate_series(0, 1500) AS n;

-- For each function, a view of its session form and one of its zone form (views on the new signatures: they
-- keep working as stored). Groups and as_of are fixed instants, so only the calendar of the function differs.
CREATE VIEW summary_session AS
SELECT customer_id, customer_summary(ordered_at, amount, '2025-01-01 07:30+00', 'week') AS r
  FROM tz_orders GROUP BY customer_id;
CREATE VIEW summary_zone AS
SELECT customer_id, customer_summary(ordered_at, amount, '2025-01-01 07:30+00', 'week', 'America/Los_Angeles') AS r
  FROM tz_orders GROUP BY customer_id;

-- (Three customers here, each ordering every 21 h 39 min: some local days hold two orders.)
CREATE VIEW kpis_session AS
SELECT customer_id % 2 AS g, order_kpis(n % 3, ordered_at, amount) AS r,
       order_kpis(n % 3, ordered_at, amount, ordered_at - interval '30 hours') AS with_contact
  FROM tz_orders GROUP BY 1;
CREATE VIEW kpis_zone AS
SELECT customer_id % 2 AS g, order_kpis(n % 3, ordered_at, amount, 'America/Los_Angeles') AS r,
       order_kpis(n % 3, ordered_at, amount, ordered_at - interval '30 hours', 'America/Los_Angeles')
         AS with_contact
  FROM tz_orders GROUP BY 1;

CREATE VIEW gaps_session AS
SELECT customer_id, purchase_gaps(ordered_at, '2024-11-03 08:30+00') AS r FROM tz_orders GROUP BY customer_id;
CREATE VIEW gaps_zone AS
SELECT customer_id, purchase_gaps(ordered_at, '2024-11-03 08:30+00', 'America/Los_Angeles') AS r
  FROM tz_orders GROUP BY customer_id;

-- customer_state: the aggregate, one more order added, and the summary at an as_of.
CREATE VIEW state_session AS
SELECT customer_id, s AS r, customer_state_add(s, '2025-03-31 06:30+00', 5) AS added,
       customer_state_summary(s, '2025-03-31 06:30+00', 'day') AS summary
  FROM (SELECT customer_id, customer_state_agg(ordered_at, amount) AS s FROM tz_orders GROUP BY 1) AS x;
CREATE VIEW state_zone AS
SELECT customer_id, s AS r, customer_state_add(s, '2025-03-31 06:30+00', 5, 'America/Los_Angeles') AS added,
       customer_state_summary(s, '2025-03-31 06:30+00', 'day', 'America/Los_Angeles') AS summary
  FROM (SELECT customer_id, customer_state_agg(ordered_at, amount, 'America/Los_Angeles') AS s
          FROM tz_orders GROUP BY 1) AS x;

-- cohort_period for every unit: the window form and the scalar form in the session zone; the scalar form with a
-- zone, which is also the window form's zone form over the partition's first event (see docs/cohorts.md).
CREATE VIEW cohort_session AS
SELECT customer_id, unit,
       array_agg(w ORDER BY n) AS r, array_agg(s ORDER BY n) AS scalar
  FROM (SELECT o.customer_id, u.unit, o.n,
               cohort_period(o.ordered_at, u.unit) OVER (PARTITION BY o.customer_id, u.unit) AS w,
               cohort_period(timestamptz '2023-12-31 23:59:59-08', o.ordered_at, u.unit) AS s
          FROM tz_orders o CROSS JOIN (VALUES ('day'), ('week'), ('month'), ('quarter'), ('year')) AS u(unit)) x
 GROUP BY 1, 2;
CREATE VIEW cohort_zone AS
SELECT customer_id, unit,
       array_agg(w ORDER BY n) AS r, array_agg(s ORDER BY n) AS scalar
  FROM (SELECT o.customer_id, u.unit, o.n,
               cohort_period(min(o.ordered_at) OVER (PARTITION BY o.customer_id, u.unit), o.ordered_at, u.unit,
                             'America/Los_Angeles') AS w,
               cohort_period(timestamptz '2023-12-31 23:59:59-08', o.ordered_at, u.unit, 'America/Los_Angeles') AS s
          FROM tz_orders o CROSS JOIN (VALUES ('day'), ('week'), ('month'), ('quarter'), ('year')) AS u(unit)) x
 GROUP BY 1, 2;

-- retention_series: monthly periods from a 31st (month ends stay anchored) and daily periods (23- and 25-hour
-- days), each order the start of a span of 960 hours (not '40 days', which the query itself would count in the
-- session's zone); and the non-contractual aggregates with an inactivity in months and days.
CREATE VIEW series_session AS
SELECT customer_id % 2 AS g,
       retention_series(ordered_at, ordered_at + interval '960 hours', '2024-01-31 00:00-08', '1 month', 14) AS r,
       retention_series(ordered_at, ordered_at + interval '960 hours', '2024-01-01 00:00-08', '1 day', 420) AS daily,
       retention_stats(first_order, last_order, interval '1 month 3 days', '2024-03-01 08:00+00',
                       '2024-11-03 07:30+00') AS inactivity
  FROM (SELECT *, min(ordered_at) OVER w AS first_order, ordered_at AS last_order FROM tz_orders
        WINDOW w AS (PARTITION BY customer_id)) AS o
 GROUP BY 1;
CREATE VIEW series_zone AS
SELECT customer_id % 2 AS g,
       retention_series(ordered_at, ordered_at + interval '960 hours', '2024-01-31 00:00-08', '1 month', 14,
                        'America/Los_Angeles') AS r,
       retention_series(ordered_at, ordered_at + interval '960 hours', '2024-01-01 00:00-08', '1 day', 420,
                        'America/Los_Angeles') AS daily,
       retention_stats(first_order, last_order, interval '1 month 3 days', '2024-03-01 08:00+00',
                       '2024-11-03 07:30+00', 'America/Los_Angeles') AS inactivity
  FROM (SELECT *, min(ordered_at) OVER w AS first_order, ordered_at AS last_order FROM tz_orders
        WINDOW w AS (PARTITION BY customer_id)) AS o
 GROUP BY 1;

-- Materialises a view under a session TimeZone and compares: rows, the zone form under UTC against the
-- session form under America/Los_Angeles (must be 0), the zone form under UTC against under Asia/Tokyo (must
-- be 0), and the session form under America/Los_Angeles against under UTC (not 0: the data do depend on the
-- zone, so the checks above are not vacuous). Rows are compared whole (timestamps as instants).
CREATE FUNCTION differences(name text) RETURNS TABLE (rows bigint, zone_vs_session_form bigint,
                                                     zone_under_utc_vs_tokyo bigint, session_la_vs_utc bigint)
LANGUAGE plpgsql AS $$
BEGIN
  SET LOCAL TimeZone = 'America/Los_Angeles';
  EXECUTE format('CREATE TEMP TABLE s_la AS SELECT * FROM %I', name || '_session');
  SET LOCAL TimeZone = 'UTC';
  EXECUTE format('CREATE TEMP TABLE s_utc AS SELECT * FROM %I', name || '_session');
  EXECUTE format('CREATE TEMP TABLE z_utc AS SELECT * FROM %I', name || '_zone');
  SET LOCAL TimeZone = 'Asia/Tokyo';
  EXECUTE format('CREATE TEMP TABLE z_tokyo AS SELECT * FROM %I', name || '_zone');
  RETURN QUERY SELECT (SELECT count(*) FROM z_utc),
    (SELECT count(*) FROM (SELECT * FROM z_utc EXCEPT ALL SELECT * FROM s_la) a) +
      (SELECT count(*) FROM (SELECT * FROM s_la EXCEPT ALL SELECT * FROM z_utc) b),
    (SELECT count(*) FROM (SELECT * FROM z_utc EXCEPT ALL SELECT * FROM z_tokyo) a) +
      (SELECT count(*) FROM (SELECT * FROM z_tokyo EXCEPT ALL SELECT * FROM z_utc) b),
    (SELECT count(*) FROM (SELECT * FROM s_la EXCEPT ALL SELECT * FROM s_utc) a);
  DROP TABLE s_la, s_utc, z_utc, z_tokyo;
END $$;

SELECT f AS function, d.* FROM unnest(ARRAY['summary', 'kpis', 'gaps', 'state', 'cohort', 'series']) AS f,
       LATERAL differences(f) AS d;

-- Forced parallel plans: the zone forms' internal states travel between processes with their zone.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SET TimeZone = 'UTC';
EXPLAIN (COSTS OFF)
SELECT order_kpis(customer_id, ordered_at, amount, 'America/Los_Angeles') FROM tz_orders;
CREATE TEMP TABLE parallel_whole AS
SELECT order_kpis(customer_id, ordered_at, amount, 'America/Los_Angeles') AS kpis,
       customer_summary(ordered_at, amount, '2025-01-01 07:30+00', 'day', 'America/Los_Angeles') AS summary,
       purchase_gaps(ordered_at, '2025-01-01 07:30+00', 'America/Los_Angeles') AS gaps,
       customer_state_agg(ordered_at, amount, 'America/Los_Angeles') AS state
  FROM tz_orders;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'America/Los_Angeles';
SELECT p.kpis = s.kpis AS same_kpis, p.summary = s.summary AS same_summary, p.gaps = s.gaps AS same_gaps,
       p.state = s.state AS same_state, (p.kpis).purchase_days, (p.gaps).purchase_days AS gap_days
  FROM parallel_whole p,
       (SELECT order_kpis(customer_id, ordered_at, amount) AS kpis,
               customer_summary(ordered_at, amount, '2025-01-01 07:30+00', 'day') AS summary,
               purchase_gaps(ordered_at, '2025-01-01 07:30+00') AS gaps,
               customer_state_agg(ordered_at, amount) AS state
          FROM tz_orders) AS s;
RESET max_parallel_workers_per_gather;

-- Values by hand. 2024-03-10 09:30 UTC is 01:30 PST, before the DST change; 10:30 UTC is 03:30 PDT. 2024-11-01
-- 06:30 UTC is still 31 October in Los Angeles (23:30 PDT), so one month after 2024-10-01 there, two in UTC.
SET TimeZone = 'UTC';
SELECT cohort_period('2024-10-01 12:00+00', '2024-11-01 06:30+00', 'month', 'America/Los_Angeles') AS la,
       cohort_period('2024-10-01 12:00+00', '2024-11-01 06:30+00', 'month') AS utc,
       cohort_period('2024-12-31 12:00+00', '2025-01-01 06:30+00', 'year', 'America/Los_Angeles') AS la_year,
       cohort_period('2024-12-31 12:00+00', '2025-01-01 06:30+00', 'year', 'Asia/Tokyo') AS tokyo_year;
-- The boundaries of a daily series across the DST change: 23 hours on 10 March in Los Angeles.
SELECT (s).period_start, (s).period_end, (s).period_end - (s).period_start AS length
  FROM unnest((SELECT retention_series(timestamptz '2024-03-08', NULL, '2024-03-09 00:00-08', '1 day', 3,
                                       'America/Los_Angeles'))) AS s;
-- Fixed abbreviations and POSIX offsets are read as AT TIME ZONE reads them (PST is always UTC-8; 'UTC+3' is a
-- POSIX spec, 3 hours west of UTC), and a fixed zone has no DST: 24-hour days.
SELECT cohort_period(a, b, 'day', z) AS period, (b AT TIME ZONE z)::date - (a AT TIME ZONE z)::date AS at_time_zone
  FROM (VALUES ('PST'), ('UTC+3'), ('+05:30'), ('Europe/London')) AS v(z),
       (VALUES (timestamptz '2024-03-10 07:30+00', timestamptz '2024-03-31 23:30+00')) AS t(a, b) ORDER BY z;
SELECT (s).period_end - (s).period_start AS length
  FROM unnest((SELECT retention_series(timestamptz '2024-03-08', NULL, '2024-03-09 00:00-08', '1 day', 3, 'PST')))
       AS s;
-- An inactivity of 1 month from a last order at 2024-01-31 03:00 UTC: in Los Angeles that is 30 January
-- 19:00, so activity ends on 29 February 19:00 PST (1 March 03:00 UTC); in UTC on 29 February 03:00. At
-- 2024-03-01 00:00 UTC the customer is retained in Los Angeles and churned in UTC.
SELECT retention_rate(f, l, '1 month', '2024-01-15 00:00+00', '2024-03-01 00:00+00', 'America/Los_Angeles') AS la,
       retention_rate(f, l, '1 month', '2024-01-15 00:00+00', '2024-03-01 00:00+00', 'UTC') AS utc
  FROM (VALUES (timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-31 03:00+00')) AS v(f, l);

-- Errors. An unknown zone: 22023, naming the function. A NULL zone: 22004 for the aggregates over orders, NULL
-- for cohort_period (STRICT, as a NULL unit), the row ignored by the retention aggregates (as a NULL
-- parameter). A zone that changes within a group: 22023.
SELECT cohort_period(now(), now(), 'day', 'Mars/Olympus_Mons');
\echo :LAST_ERROR_SQLSTATE
SELECT order_kpis(1, now(), 1, 'Mars/Olympus_Mons');
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps(now(), now(), 'Mars/Olympus_Mons');
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(now(), NULL, now(), '1 day', 2, 'Mars/Olympus_Mons');
\echo :LAST_ERROR_SQLSTATE
SELECT order_kpis(1, now(), 1, NULL::text);
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps(now(), now(), NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_agg(now(), 1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_add(NULL, now(), 1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT cohort_period(now(), now(), 'day', NULL) IS NULL AS scalar_null,
       retention_series(now(), NULL, now(), '1 day', 2, NULL) IS NULL AS series_null;
-- The forms without a zone keep their calls: an untyped literal event time still reaches the scalar form.
SELECT cohort_period('2024-01-31', '2024-02-01', 'month') AS months;
SELECT order_kpis(1, t, 1, z) FROM (VALUES (now(), 'UTC'), (now(), 'Europe/Paris')) AS v(t, z);
\echo :LAST_ERROR_SQLSTATE
SELECT purchase_gaps(t, t, z) FROM (VALUES (timestamptz '2024-01-01', 'UTC'), ('2024-01-01', 'Europe/Paris')) AS v(t, z);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_agg(t, 1, z) FROM (VALUES (now(), 'UTC'), (now(), 'Europe/Paris')) AS v(t, z);
\echo :LAST_ERROR_SQLSTATE
SELECT retention_series(t, NULL, '2024-01-01', '1 month', 2, z)
  FROM (VALUES (timestamptz '2024-01-05', 'UTC'), ('2024-01-06', 'Europe/Paris')) AS v(t, z);
\echo :LAST_ERROR_SQLSTATE
-- A series state of one form is refused by the other's functions.
SELECT retention_series_accum(retention_series_accum(NULL, now(), NULL, '2024-01-01', '1 day', 2, 'UTC'),
                              now(), NULL, '2024-01-01', '1 day', 2);
\echo :LAST_ERROR_SQLSTATE

RESET TimeZone;
DROP FUNCTION differences(text);
DROP TABLE tz_orders CASCADE;
