-- Customer summaries and RFM segments from the demo order log (orders(customer_id, ordered_at, amount)).
\set QUIET on
SET TIME ZONE 'UTC';
SET client_min_messages = warning;
-- One row per customer: the calibration period ends 2026-03-31, the three months after it are the holdout.
DROP TABLE IF EXISTS demo_customer_summary;
CREATE TABLE demo_customer_summary AS
SELECT customer_id, (customer_summary(ordered_at, amount, timestamptz '2026-03-31', 'week')).*
  FROM orders GROUP BY customer_id;
\set QUIET off

\echo
\echo '== Customer summaries as of 2026-03-31, in weeks (the input of the BG/NBD and Gamma-Gamma models)'
\echo '   frequency = repeat purchase days, recency = first to last purchase, t = first purchase to 2026-03-31'
SELECT customer_id, frequency, round(recency::numeric, 1) AS recency_weeks, round(t::numeric, 1) AS t_weeks,
       round(monetary::numeric, 2) AS repeat_day_value, orders, round(revenue::numeric, 2) AS revenue,
       days_since_last, holdout_frequency AS holdout_days
  FROM demo_customer_summary
 WHERE frequency IS NOT NULL
 ORDER BY revenue DESC LIMIT 5;

\echo
\echo '== Calibration against holdout: customers who bought more often before 2026-03-31 keep buying after it'
SELECT CASE WHEN frequency >= 10 THEN '10+' ELSE frequency::text END AS repeat_days_before,
       count(*) AS customers,
       round(avg(holdout_frequency), 2) AS mean_purchase_days_after,
       round(100.0 * count(*) FILTER (WHERE holdout_frequency > 0) / count(*), 1) AS percent_active_after
  FROM demo_customer_summary
 WHERE frequency IS NOT NULL
 GROUP BY 1 ORDER BY min(frequency);

\echo
\echo '== RFM segments (quintiles of days since last purchase, orders and revenue; ties share a score)'
SELECT (s).segment, count(*) AS customers, round(sum(revenue)::numeric) AS revenue,
       round((100 * sum(revenue) / sum(sum(revenue)) OVER ())::numeric, 1) AS percent_of_revenue,
       min((s).code) || ' .. ' || max((s).code) AS codes
  FROM (SELECT revenue, rfm_score(days_since_last, orders, revenue) OVER () AS s
          FROM demo_customer_summary WHERE frequency IS NOT NULL) AS scored
 GROUP BY (s).segment ORDER BY customers DESC;

\echo
\echo '== Stored breakpoints score a customer without re-ranking everyone'
\set QUIET on
DROP TABLE IF EXISTS demo_rfm_breakpoints;
CREATE TABLE demo_rfm_breakpoints AS
SELECT rfm_thresholds(days_since_last, orders, revenue) AS breakpoints
  FROM demo_customer_summary WHERE frequency IS NOT NULL;
\set QUIET off
SELECT (breakpoints).recency AS recency_days, (breakpoints).frequency AS orders,
       (breakpoints).monetary::numeric(10, 2)[] AS revenue
  FROM demo_rfm_breakpoints;
SELECT who, (rfm_score(days_since_last, orders, revenue, breakpoints)).*
  FROM demo_rfm_breakpoints,
       (VALUES ('bought last week, 6 orders, 400 spent', 7, 6, 400.0),
               ('one order of 35, eight months ago', 240, 1, 35.0)) AS newcomer(who, days_since_last, orders, revenue);
