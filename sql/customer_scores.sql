-- One-statement scoring: customer_scores (window and stored-model forms), the window forms' model choice, the
-- customer_summary composite forms of every prediction, t = 0 customers, holdout_check, and the RFM check on the
-- demo's data. (The CDNOW checks are in holdout_check_cdnow.sql.)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TIME ZONE 'UTC';

-- The demo's order log (scripts/demo/000_sample_data.sql: 4,000 customers who buy as a Poisson process and may
-- leave after any purchase), in a schema of its own so that its tables do not meet the other tests'.
CREATE SCHEMA demo_data;
SET search_path = demo_data, public;
\i scripts/demo/000_sample_data.sql
SET TIME ZONE 'UTC';
-- Calibration until 2026-03-31 (weeks), the 13 weeks after it the holdout, as the demo does.
CREATE TABLE summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2026-03-31', 'week') AS s
  FROM orders GROUP BY customer_id;
SELECT count(*) AS customers, count(*) FILTER (WHERE (s).frequency IS NULL) AS without_calibration,
       count(*) FILTER (WHERE (s).t = 0) AS first_purchase_on_as_of_day
  FROM summaries;

-- RFM segments against the default window model's churn probability, as of the end of the data: the "Lost"
-- segment (long silent, few orders) must come out more likely churned than "Loyal". BG/NBD, which gives every
-- one-time buyer P(alive) = 1, gets this the wrong way round (the issue's measurement).
CREATE TABLE now_scored AS
SELECT (rfm_score((s).days_since_last, (s).orders, (s).revenue) OVER ()).segment AS segment,
       churn_probability(s) OVER () AS churn, churn_probability(s, 'bgnbd') OVER () AS bgnbd_churn
  FROM (SELECT customer_summary(ordered_at, amount, timestamptz '2026-06-30 23:59:59', 'week') AS s
          FROM orders GROUP BY customer_id) AS g;
SELECT round(avg(churn) FILTER (WHERE segment = 'Lost')::numeric, 3) AS lost_churn,
       round(avg(churn) FILTER (WHERE segment = 'Loyal')::numeric, 3) AS loyal_churn,
       avg(churn) FILTER (WHERE segment = 'Lost') > avg(churn) FILTER (WHERE segment = 'Loyal') AS lost_above_loyal,
       avg(bgnbd_churn) FILTER (WHERE segment = 'Lost') < avg(bgnbd_churn) FILTER (WHERE segment = 'Loyal')
         AS bgnbd_the_wrong_way_round
  FROM now_scored;

-- Composite and plain-column forms give identical results: the window forms (same rows, same order, same fit)
-- and the scalar forms (stored models fitted on the same summaries).
CREATE TABLE columns AS
SELECT customer_id, s, (s).frequency::float8 AS frequency, (s).recency, (s).t, (s).monetary FROM summaries;
SELECT count(*) AS rows_compared,
       bool_and(c.scores IS NOT DISTINCT FROM s.scores) AS customer_scores_same,
       bool_and(c.p IS NOT DISTINCT FROM s.p) AS p_alive_same,
       bool_and(c.churn IS NOT DISTINCT FROM s.churn) AS churn_same,
       bool_and(c.clv IS NOT DISTINCT FROM s.clv) AS clv_same,
       count(*) FILTER (WHERE s.scores IS NULL) AS null_rows
  FROM (SELECT customer_id,
               customer_scores(frequency, recency, t, monetary, 13, 0.01, 4) OVER w AS scores,
               p_alive(frequency, recency, t, 'mbgnbd', 0.01) OVER w AS p,
               churn_probability(frequency, recency, t) OVER w AS churn,
               clv_estimate(frequency, recency, t, monetary, 13, 0.01, 4, 'bgnbd') OVER w AS clv
          FROM columns WINDOW w AS (ORDER BY customer_id)) AS c
  JOIN (SELECT customer_id,
               customer_scores(s, 13, 0.01, 4) OVER w AS scores,
               p_alive(s, 'mbgnbd', 0.01) OVER w AS p,
               churn_probability(s) OVER w AS churn,
               clv_estimate(s, 13, 0.01, 4, 'bgnbd') OVER w AS clv
          FROM columns WINDOW w AS (ORDER BY customer_id)) AS s USING (customer_id);
CREATE TABLE stored AS
SELECT bgnbd_fit(s) AS bgnbd, mbgnbd_fit(s) AS mbgnbd, pareto_nbd_fit(s) AS pareto, gamma_gamma_fit(s) AS spend
  FROM summaries;
SELECT count(*) AS rows_compared,
       bool_and(p_alive(m.bgnbd, c.s) IS NOT DISTINCT FROM p_alive(m.bgnbd, frequency, recency, t)) AS bgnbd_p_alive,
       bool_and(p_alive(m.mbgnbd, c.s) IS NOT DISTINCT FROM p_alive(m.mbgnbd, frequency, recency, t))
         AS mbgnbd_p_alive,
       bool_and(churn_probability(m.pareto, c.s) IS NOT DISTINCT FROM churn_probability(m.pareto, frequency, recency, t))
         AS pareto_churn,
       bool_and(expected_purchases(m.pareto, c.s, 13) IS NOT DISTINCT FROM
                expected_purchases(m.pareto, frequency, recency, t, 13)) AS pareto_expected,
       bool_and(expected_spend(m.spend, c.s) IS NOT DISTINCT FROM expected_spend(m.spend, frequency, monetary))
         AS expected_spend,
       bool_and(clv_estimate(m.mbgnbd, m.spend, c.s, 13, 0.01, 4) IS NOT DISTINCT FROM
                clv_estimate(m.mbgnbd, m.spend, frequency, recency, t, monetary, 13, 0.01, 4)) AS clv,
       bool_and(customer_scores(m.pareto, m.spend, c.s, 13, 0.01, 4) IS NOT DISTINCT FROM
                customer_scores(m.pareto, m.spend, frequency, recency, t, monetary, 13, 0.01, 4)) AS customer_scores
  FROM columns c, stored m;

-- The window's composite is the stored-model composite with the models the window fitted: the same fit driver
-- on the same rows (in another order, hence agreement to 1e-7 rather than bit for bit).
SELECT count(*) AS rows_compared,
       max(abs((w.scores).p_alive - (s.scores).p_alive)) < 1e-7 AS p_alive_agrees,
       max(abs((w.scores).expected_purchases / (s.scores).expected_purchases - 1)) < 1e-6 AS expected_agrees,
       max(abs((w.scores).clv / (s.scores).clv - 1)) < 1e-6 AS clv_agrees,
       bool_and((w.scores).churn_risk = (s.scores).churn_risk) AS same_segments,
       bool_and((w.scores).churn_probability = 1 - (w.scores).p_alive) AS churn_is_one_minus_p_alive
  FROM (SELECT customer_id, customer_scores(s, 13, 0.01, 4) OVER () AS scores FROM summaries) AS w
  JOIN (SELECT customer_id, customer_scores(m.pareto, m.spend, c.s, 13, 0.01, 4) AS scores
          FROM summaries c, stored m) AS s USING (customer_id)
 WHERE w.scores IS NOT NULL;
-- The expected purchases are over horizon * period_length time units; clv with one undiscounted period is
-- E[M] E[X] (closed form); the segments follow the documented boundaries 0.25, 0.5, 0.75.
SELECT bool_and(abs((sc).expected_purchases - expected_purchases(m.pareto, c.s, 52)) < 1e-12) AS expected_52_weeks,
       bool_and(abs((one).clv - expected_spend(m.spend, c.s) * (one).expected_purchases) < 1e-9 * (one).clv)
         AS one_period_value,
       bool_and((sc).churn_risk = CASE WHEN (sc).churn_probability < 0.25 THEN 'low'
                                       WHEN (sc).churn_probability < 0.5 THEN 'medium'
                                       WHEN (sc).churn_probability < 0.75 THEN 'high' ELSE 'very high' END)
         AS default_segments
  FROM columns c, stored m,
       LATERAL (SELECT customer_scores(m.pareto, m.spend, c.s, 13, 0.01, 4) AS sc,
                       customer_scores(m.pareto, m.spend, c.s, 1, 0, 13) AS one) AS x
 WHERE c.s IS NOT NULL AND (c.s).frequency IS NOT NULL;
SELECT (sc).churn_risk, count(*) AS customers, round(avg((sc).churn_probability)::numeric, 3) AS mean_churn,
       round(sum((sc).clv)::numeric) AS clv_next_year
  FROM (SELECT customer_scores(s, 13, 0.01, 4) OVER () AS sc FROM summaries) AS w
 WHERE sc IS NOT NULL GROUP BY 1 ORDER BY min((sc).churn_probability);
-- Other boundaries and labels; a churn probability equal to a boundary is in the segment above it.
SELECT (customer_scores(m.pareto, m.spend, 0, 0, 10, 0, 4, 0, 1, '{0.5}', '{stay, go}')).churn_risk AS two_segments,
       (customer_scores(m.pareto, m.spend, 0, 0, 0, 0, 4, 0, 1, '{0.1, 0.2}', '{a, b, c}')).churn_risk AS t0_lowest,
       (customer_scores(m.bgnbd, m.spend, 0, 0, 30, 0, 4, risk_boundaries => '{0.0000001}',
                        risk_labels => '{zero, positive}')).churn_risk AS bgnbd_frequency_0
  FROM stored m;

-- The window forms' model: without one, Pareto/NBD (model => 'pareto_nbd' gives the same); BG/NBD and
-- MBG/NBD by name; BG/BB on whole-number data; a penalizer shrinks the parameters (so changes the scores).
SELECT bool_and(a = b) AS default_is_pareto_nbd,
       max(abs(c - p_alive(m.bgnbd, frequency, recency, t))) < 1e-7 AS bgnbd_named_is_bgnbd_fit,
       bool_or(d <> a) AS penalizer_changes_scores
  FROM (SELECT frequency, recency, t, p_alive(frequency, recency, t) OVER () AS a,
               p_alive(frequency, recency, t, 'pareto_nbd') OVER () AS b,
               p_alive(frequency, recency, t, 'bgnbd') OVER () AS c,
               p_alive(frequency, recency, t, 'pareto_nbd', 0.1) OVER () AS d
          FROM columns WHERE frequency IS NOT NULL AND t > 0) AS w, stored m;
-- BG/BB on discrete data (donors simulated from the donations estimates of Fader, Hardie & Shang 2010): the
-- window's P(alive) is that of bgbb_fit on the same rows.
SELECT count(*) AS donors,
       max(abs(w.p - p_alive(f.m, w.frequency, w.recency, w.n_periods))) < 1e-7 AS bgbb_window_is_bgbb_fit
  FROM (SELECT frequency, recency, n_periods, p_alive(frequency, recency, n_periods, 'bgbb') OVER () AS p
          FROM bgbb_simulate(1.204, 0.750, 0.657, 2.783, 6, 3000, 11)) AS w,
       (SELECT bgbb_fit(frequency, recency, n_periods) AS m FROM bgbb_simulate(1.204, 0.750, 0.657, 2.783, 6, 3000, 11)) AS f;

-- t = 0: a customer whose first purchase is on the as-of day is valid. The window scores it (Pareto/NBD:
-- P(alive) = 1, the expectations of a new customer) without fitting on it; one such customer does not stop the
-- statement. A fit of only such customers is an error.
SELECT (sc).p_alive AS p_alive, (sc).churn_risk,
       abs((sc).expected_purchases - expected_purchases_unconditional(w.pareto, 52)) < 1e-9 AS new_customer_expectation
  FROM (SELECT id, customer_scores(f, r, t, m, 13, 0, 4) OVER () AS sc,
               (SELECT pareto_nbd_fit(frequency, recency, t) FROM columns WHERE t > 0) AS pareto
          FROM (SELECT customer_id AS id, frequency AS f, recency AS r, t, monetary AS m FROM columns
                 WHERE t > 0 UNION ALL SELECT -1, 0, 0, 0, 0) AS c) AS w
 WHERE id = -1;
SELECT p_alive(f, r, t) OVER () FROM (VALUES (0, 0, 0), (0, 0, 0)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE

-- Invalid rows: 22023 naming the values and, in the window forms, the row's position in the partition.
SELECT p_alive(f, r, t) OVER (ORDER BY id) FROM (VALUES (1, 1, 5, 10), (2, 2, 4, 10), (3, -1, 0, 10)) AS v(id, f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_scores(f, r, t, m, 12) OVER (ORDER BY id)
  FROM (VALUES (1, 1, 5, 10, 20), (2, 2, 12, 10, 20)) AS v(id, f, r, t, m);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_scores(f, r, t, m, 12) OVER (ORDER BY id)
  FROM (VALUES (1, 1, 5, 10, 20), (2, 2, 8, 10, 20), (3, 1, 2, 10, -20)) AS v(id, f, r, t, m);
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(m.bgnbd, ROW(1, 5, 4, 10, 2, 20, NULL, NULL, 0, 0, 0, 0, 0)::customer_summary_result) FROM stored m;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(f, r, t, 'lifetimes') OVER () FROM (VALUES (1, 5, 10)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(f, r, t, NULL) OVER () FROM (VALUES (1, 5, 10)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(f, r, t, 'bgnbd', -1) OVER () FROM (VALUES (1, 5, 10)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_scores(m.pareto, m.spend, 1, 5, 10, 20, 12, 0, 1, '{0.5, 0.4}', '{a, b, c}') FROM stored m;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_scores(m.pareto, m.spend, 1, 5, 10, 20, 12, 0, 1, '{0.5}', '{a, b, c}') FROM stored m;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_scores(m.pareto, m.spend, 1, 5, 10, 20, 12, 0, 1, '{1}', '{a, b}') FROM stored m;
\echo :LAST_ERROR_SQLSTATE
-- A summary without calibration data (every order after as_of) scores NULL; so do NULL rows of the window.
SELECT p_alive(m.pareto, ROW(NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 2, 2, 50, 25)::customer_summary_result)
         IS NULL AS scalar_null,
       customer_scores(m.pareto, m.spend, ROW(NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 2, 2, 50, 25)::customer_summary_result,
                       12) IS NULL AS scores_null
  FROM stored m;
-- customer_scores without a repeat customer: the scores, with clv NULL and a WARNING.
SELECT (customer_scores(f, r, t, m, 12) OVER ()).clv IS NULL AS clv_null
  FROM (VALUES (0, 0, 10, 0), (0, 0, 20, 0), (0, 0, 5, 0)) AS v(f, r, t, m) LIMIT 1;

-- One model per partition, one fit each: the scores of a partition equal those of the partition alone.
-- (Rows may reach the fit in another order, hence agreement to 1e-7 rather than bit for bit.)
SELECT max(abs((a.sc).p_alive - (b.sc).p_alive)) < 1e-7 AS partition_scores_alone,
       max(abs((a.sc).clv / (b.sc).clv - 1)) < 1e-6 AS partition_clv_alone
  FROM (SELECT customer_id, customer_scores(s, 13, 0.01, 4) OVER (PARTITION BY customer_id % 2) AS sc FROM summaries) AS a
  JOIN (SELECT customer_id, customer_scores(s, 13, 0.01, 4) OVER () AS sc FROM summaries WHERE customer_id % 2 = 0) AS b
 USING (customer_id);

-- holdout_check: predicted against actual holdout purchases (13 weeks after 2026-03-31), the three models in one
-- query. Its totals equal the sums of the scalar expected_purchases; composite and columns agree; a forced
-- parallel plan gives the serial totals.
CREATE TABLE checks AS
SELECT 'bgnbd' AS model, holdout_check(m.bgnbd, s, 13) AS h FROM summaries, stored m
UNION ALL SELECT 'mbgnbd', holdout_check(m.mbgnbd, s, 13) FROM summaries, stored m
UNION ALL SELECT 'pareto_nbd', holdout_check(m.pareto, s, 13) FROM summaries, stored m;
SELECT model, (h).customers, round((h).predicted_purchases::numeric, 1) AS predicted, (h).actual_purchases AS actual,
       round((h).mean_absolute_error::numeric, 4) AS mae, round((h).root_mean_squared_error::numeric, 4) AS rmse,
       round((h).correlation::numeric, 4) AS correlation
  FROM checks ORDER BY model;
SELECT abs((h).predicted_purchases - (SELECT sum(expected_purchases(m.pareto, s, 13)) FROM summaries, stored m)) < 1e-8
         AS total_is_sum_of_expectations,
       (h).actual_purchases = (SELECT sum((s).holdout_frequency) FROM summaries WHERE (s).frequency IS NOT NULL)
         AS actual_is_holdout_days,
       (h).calibration_frequency, (h).customers_by_frequency,
       (SELECT array_agg(round(v::numeric, 3)) FROM unnest((h).predicted_mean) AS v) AS predicted_mean,
       (SELECT array_agg(round(v::numeric, 3)) FROM unnest((h).actual_mean) AS v) AS actual_mean
  FROM checks WHERE model = 'pareto_nbd';
SELECT (SELECT holdout_check(m.pareto, s, 13) FROM summaries, stored m)
       = (SELECT holdout_check(m.pareto, frequency, recency, t, (s).holdout_frequency, 13) FROM columns, stored m
           WHERE frequency IS NOT NULL) AS composite_equals_columns;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT abs((h).predicted_purchases - (SELECT (h).predicted_purchases FROM checks WHERE model = 'bgnbd')) < 1e-9
         AS parallel_same_total,
       (h).customers = (SELECT (h).customers FROM checks WHERE model = 'bgnbd') AS parallel_same_customers
  FROM (SELECT holdout_check(m.bgnbd, s, 13) AS h FROM summaries, stored m) AS p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT holdout_check(m.bgnbd, frequency, recency, t, 1, 13) IS NULL AS no_rows FROM columns, stored m WHERE false;
SELECT holdout_check(CASE WHEN frequency > 2 THEN m.bgnbd ELSE ROW(1, 1, 1, 1, NULL, NULL, NULL, NULL)::bgnbd_model END,
                     frequency, recency, t, 1, 13)
  FROM columns, stored m WHERE frequency IS NOT NULL;
\echo :LAST_ERROR_SQLSTATE
SELECT holdout_check(m.bgnbd, 1, 2, 10, 1.5, 13) FROM stored m;
\echo :LAST_ERROR_SQLSTATE
SELECT holdout_check(m.bgnbd, 1, 2, 10, 1, 0) FROM stored m;
\echo :LAST_ERROR_SQLSTATE

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA demo_data CASCADE;
RESET client_min_messages;
