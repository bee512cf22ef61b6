-- Churn and retention: a monthly churn chart of subscriptions, retention of the shop's buyers, a cohort matrix,
-- the sBG model's projection and the lift of a retention offer.
-- Makes its own sample table (deterministic: setseed):
--   subscriptions(subscriber_id, started_at, cancelled_at, got_offer)   3,000 monthly subscriptions, 2024-2026
-- Each subscriber cancels at any monthly renewal with her own probability (heterogeneous: what sBG models); half
-- of them got a retention offer that lowers it by a fifth.
\set QUIET on
SELECT setseed(0.3) AS seed \gset
DROP TABLE IF EXISTS subscriptions;
CREATE TABLE subscriptions AS
SELECT subscriber_id, started_at, got_offer,
       CASE WHEN started_at + months * interval '1 month' < timestamptz '2026-07-01'
            THEN started_at + months * interval '1 month' END AS cancelled_at
  FROM (SELECT subscriber_id, started_at, got_offer,
               least(120, greatest(1, ceil(ln(1 - random()) / ln(1 - monthly_churn))))::integer AS months
          FROM (SELECT i AS subscriber_id,
                       timestamptz '2024-01-01' + floor(random() * 880) * interval '1 day' AS started_at,
                       i % 2 = 0 AS got_offer,
                       (0.01 + 0.3 * random() ^ 3) * CASE WHEN i % 2 = 0 THEN 0.8 ELSE 1 END AS monthly_churn
                  FROM generate_series(1, 3000) AS i) AS s) AS m;
ANALYZE subscriptions;
\set QUIET off

\echo
\echo '== Monthly churn of the subscriptions, first half of 2026: one scan with retention_series (rates are fractions)'
SELECT to_char(period_start, 'YYYY-MM') AS month, at_start, new_customers, churned, at_end,
       round(churn_rate::numeric, 3) AS churn_rate,
       round(churn_ci_low::numeric, 3) || ' .. ' || round(churn_ci_high::numeric, 3) AS churn_95_interval
  FROM unnest((SELECT retention_series(started_at, cancelled_at, '2026-01-01', interval '1 month', 6)
                 FROM subscriptions));

\echo
\echo '== The shop''s buyers (orders): kept in the first quarter of 2026, counting a buyer lost after 90 days without an order'
SELECT at_start AS buyers_on_jan_1, churned AS lost, round(retention_rate::numeric, 3) AS retention_rate,
       round(churn_rate::numeric, 3) AS churn_rate,
       round(churn_ci_low::numeric, 3) || ' .. ' || round(churn_ci_high::numeric, 3) AS churn_95_interval
  FROM (SELECT (retention_stats(first_order, last_order, interval '90 days', '2026-01-01', '2026-04-01')).*
          FROM (SELECT customer_id, min(ordered_at) AS first_order, max(ordered_at) AS last_order
                  FROM orders GROUP BY customer_id) AS buyers) AS s;

\echo
\echo '== Monthly cohorts of buyers: share who ordered in month k after their first (m6_or_later: in month 6 or any later one)'
WITH events AS (
  SELECT customer_id, ordered_at, cohort_period(ordered_at, 'month') OVER (PARTITION BY customer_id) AS period
    FROM orders),
buyers AS (
  SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort, array_agg(period) AS periods
    FROM events GROUP BY customer_id),
matrix AS (
  SELECT t.cohort, cell.*
    FROM (SELECT cohort, cohort_retention(periods) AS cells FROM buyers GROUP BY cohort) AS t,
         unnest(t.cells) AS cell)
SELECT to_char(cohort, 'YYYY-MM') AS cohort, max(cohort_size) AS buyers,
       round(max(rate) FILTER (WHERE period = 1)::numeric, 2) AS m1,
       round(max(rate) FILTER (WHERE period = 2)::numeric, 2) AS m2,
       round(max(rate) FILTER (WHERE period = 3)::numeric, 2) AS m3,
       round(max(rate) FILTER (WHERE period = 6)::numeric, 2) AS m6,
       round(max(rate_or_later) FILTER (WHERE period = 6)::numeric, 2) AS m6_or_later,
       round(max(rate_or_later) FILTER (WHERE period = 12)::numeric, 2) AS m12_or_later
  FROM matrix WHERE cohort < '2025-07-01'
 GROUP BY cohort ORDER BY cohort;

\echo
\echo '== sBG model of the subscriptions (tenure in months; still active = censored) and what it projects'
\set QUIET on
CREATE TEMP TABLE subscription_model AS
SELECT sbg_fit(tenure, cancelled_at IS NOT NULL) AS model
  FROM (SELECT cancelled_at,
               CASE WHEN cancelled_at IS NOT NULL
                    THEN (extract(year FROM age(cancelled_at, started_at)) * 12
                          + extract(month FROM age(cancelled_at, started_at)))::integer
                    ELSE (extract(year FROM age('2026-07-01', started_at)) * 12
                          + extract(month FROM age('2026-07-01', started_at)))::integer END AS tenure
          FROM subscriptions) AS t
 WHERE tenure >= 1;
\set QUIET off
SELECT round((model).alpha::numeric, 3) AS alpha, round((model).beta::numeric, 3) AS beta,
       round((model).log_likelihood::numeric, 1) AS log_likelihood, (model).customers, (model).converged
  FROM subscription_model;
-- A subscriber active for m months has made m - 1 renewals and decides on the m-th: DERL's n = m.
SELECT months AS month, round(sbg_survival(model, months)::numeric, 3) AS share_of_a_cohort_left_after,
       round(sbg_retention_rate(model, months)::numeric, 3) AS renewal_rate_at_its_end,
       round(sbg_discounted_expected_residual_lifetime(model, months, 0.01)::numeric, 1)
         AS expected_further_payments_1pct_discount
  FROM subscription_model, unnest('{1, 6, 12, 24, 36}'::integer[]) AS months;

\echo
\echo '== Did the retention offer work? Subscribers active on 2026-01-01, still subscribed on 2026-07-01'
SELECT (l).treated_customers AS with_offer, round((l).treated_rate::numeric, 3) AS kept_with_offer,
       (l).control_customers AS without_offer, round((l).control_rate::numeric, 3) AS kept_without_offer,
       round((l).absolute_lift::numeric, 3) AS lift,
       round((l).difference_ci_low::numeric, 3) || ' .. ' || round((l).difference_ci_high::numeric, 3)
         AS lift_95_interval,
       to_char((l).p_value, '9.99EEEE') AS p_value
  FROM (SELECT retention_lift(got_offer, cancelled_at IS NULL) AS l
          FROM subscriptions
         WHERE started_at < '2026-01-01' AND (cancelled_at IS NULL OR cancelled_at > '2026-01-01')) AS t;
