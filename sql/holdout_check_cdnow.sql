-- holdout_check and the window forms' default model on CDNOW (../shared/data, or $LOYALTY_DATA_DIR): calibration
-- 39 weeks (1997-01-01 .. 1997-09-30), holdout 39 weeks (1997-10-01 .. 1998-06-30), from the transaction log.
-- Skipped, saying so, where the data is absent.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET extra_float_digits = 0;
SET TIME ZONE 'UTC';

\getenv datadir LOYALTY_DATA_DIR
\if :{?datadir}
\else
\set datadir ../shared/data
\endif
\set have_data `test -r ":datadir/cdnow/CDNOW_sample.txt" && echo true || echo false`
\if :have_data
\cd :datadir
-- The transaction log (master_id sample_id yyyymmdd cds dollars), one line per row; sample_id is the customer.
CREATE TABLE holdout_log (line text);
\copy holdout_log FROM 'cdnow/CDNOW_sample.txt'
CREATE TABLE holdout_orders AS
SELECT f[2]::integer AS customer_id, to_date(f[3], 'YYYYMMDD')::timestamptz AS ordered_at, f[5]::float8 AS amount
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM holdout_log) AS l;
-- Summaries in weeks as of 1997-09-30: purchase days (orders of one day are one purchase); holdout_frequency is
-- the number of purchase days after it.
CREATE TABLE cdnow_summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '1997-09-30', 'week') AS s
  FROM holdout_orders GROUP BY customer_id;
SELECT count(*) AS customers, sum((s).frequency) AS calibration_repeat_days,
       sum((s).holdout_frequency) AS holdout_purchase_days FROM cdnow_summaries;

-- The published CDNOW estimates: BG/NBD and Pareto/NBD of Fader, Hardie & Lee (2005), MBG/NBD as lifetimes
-- documents its fit.
CREATE TABLE published AS
SELECT ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model AS bgnbd,
       ROW(0.525, 6.183, 0.891, 1.614, NULL, NULL, NULL, NULL)::mbgnbd_model AS mbgnbd,
       ROW(0.553, 10.578, 0.606, 11.669, NULL, NULL, NULL, NULL)::pareto_nbd_model AS pareto;

-- Expected values by an independent computation: test/reference/holdout_cdnow.py, run once by hand (mpmath, 40
-- digits; the closed forms FHL 2005 eq. 10, the MBG/NBD analogue, Fader & Hardie's 2005 note sections 5-6, on
-- its own parse of the log; it shares no code with the extension). Its output:
--   customers 2357 actual holdout purchases 1882
--   bgnbd: predicted 1653.94125931335 mae 0.785609147978489 rmse 1.60797766468299 correlation 0.625640701942781
--   mbgnbd: predicted 1577.12879992976 mae 0.764829114845063 rmse 1.60716343361115 correlation 0.627255191265763
--   pareto_nbd: predicted 1665.69316068307 mae 0.754547112397866 rmse 1.60284703253432 correlation 0.630223738932838
CREATE TABLE cdnow_checks AS
SELECT 'bgnbd' AS model, holdout_check(p.bgnbd, s, 39) AS h FROM cdnow_summaries, published p
UNION ALL SELECT 'mbgnbd', holdout_check(p.mbgnbd, s, 39) FROM cdnow_summaries, published p
UNION ALL SELECT 'pareto_nbd', holdout_check(p.pareto, s, 39) FROM cdnow_summaries, published p;
SELECT c.model, (h).customers, round((h).predicted_purchases::numeric, 2) AS predicted, (h).actual_purchases AS actual,
       abs((h).predicted_purchases / o.predicted - 1) < 1e-10 AS predicted_matches,
       abs((h).mean_absolute_error / o.mae - 1) < 1e-10 AS mae_matches,
       abs((h).root_mean_squared_error / o.rmse - 1) < 1e-10 AS rmse_matches,
       abs((h).correlation / o.correlation - 1) < 1e-10 AS correlation_matches
  FROM cdnow_checks c
  JOIN (VALUES ('bgnbd', 1653.94125931335, 0.785609147978489, 1.60797766468299, 0.625640701942781),
               ('mbgnbd', 1577.12879992976, 0.764829114845063, 1.60716343361115, 0.627255191265763),
               ('pareto_nbd', 1665.69316068307, 0.754547112397866, 1.60284703253432, 0.630223738932838))
       AS o(model, predicted, mae, rmse, correlation) USING (model)
 ORDER BY c.model;
-- The same with plain columns.
SELECT (SELECT holdout_check(p.pareto, (s).frequency, (s).recency, (s).t, (s).holdout_frequency, 39)
          FROM cdnow_summaries, published p) = h AS columns_equal_composite
  FROM cdnow_checks WHERE model = 'pareto_nbd';

-- An analyst's comparison of the three models, each fitted on the calibration period, in one query (how the
-- default model was chosen: docs/predictions_and_clv.md).
SELECT model, round((h).predicted_purchases::numeric, 1) AS predicted, (h).actual_purchases AS actual,
       round((h).mean_absolute_error::numeric, 4) AS mae, round((h).root_mean_squared_error::numeric, 4) AS rmse,
       round((h).correlation::numeric, 4) AS correlation
  FROM (SELECT bgnbd_fit(s) AS b, mbgnbd_fit(s) AS m, pareto_nbd_fit(s) AS p FROM cdnow_summaries) AS f,
       LATERAL (SELECT 'bgnbd' AS model, holdout_check(f.b, s, 39) AS h FROM cdnow_summaries
                UNION ALL SELECT 'mbgnbd', holdout_check(f.m, s, 39) FROM cdnow_summaries
                UNION ALL SELECT 'pareto_nbd', holdout_check(f.p, s, 39) FROM cdnow_summaries) AS c
 ORDER BY model;

-- One-time buyers (frequency 0) under the default window model: churn probabilities that rise with T (the time
-- since their only purchase) and do not sit at 0. BG/NBD gives them all 0.
CREATE TABLE one_time AS
SELECT (s).t AS t, churn AS churn, bgnbd_churn
  FROM (SELECT s, churn_probability(s) OVER () AS churn, churn_probability(s, 'bgnbd') OVER () AS bgnbd_churn
          FROM cdnow_summaries) AS w
 WHERE (s).frequency = 0;
SELECT count(*) AS one_time_buyers, round(min(churn)::numeric, 3) AS min_churn, round(max(churn)::numeric, 3) AS max_churn,
       min(churn) > 0.5 AS none_at_zero, max(bgnbd_churn) AS bgnbd_max_churn
  FROM one_time;
SELECT bool_and(churn >= previous_churn) AS rises_with_t, bool_or(churn > previous_churn) AS strictly_somewhere
  FROM (SELECT t, churn, lag(churn) OVER (ORDER BY t, churn) AS previous_churn FROM one_time) AS o
 WHERE previous_churn IS NOT NULL;
SELECT round(t::numeric / 4) * 4 AS t_weeks, count(*) AS one_time_buyers, round(avg(churn)::numeric, 3) AS churn
  FROM one_time GROUP BY 1 ORDER BY 1;
\else
\echo 'reference data not found (set LOYALTY_DATA_DIR to the folder holding cdnow/): CDNOW holdout tests skipped'
\endif
