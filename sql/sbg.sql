-- sbg_fit and the sBG scalars: the two cohorts of Fader & Hardie (2007), closed forms, DERL against Fader &
-- Hardie (2010), NULLs, errors, recovery of simulated parameters and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;

-- FH 2007 data: percent of 1,000 customers of each cohort still active at the start of years 0..7.
CREATE TABLE fh2007 (cohort text, year integer, percent_alive numeric);
INSERT INTO fh2007
SELECT 'regular', y - 1, p FROM unnest('{100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1}'::numeric[])
                                WITH ORDINALITY AS u(p, y)
UNION ALL
SELECT 'high end', y - 1, p FROM unnest('{100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1}'::numeric[])
                                 WITH ORDINALITY AS u(p, y);
-- One row per customer: 10 * (S(t-1) - S(t)) lost in year t (tenure t, churned); 10 * S(7) still active after
-- year 7 (tenure 7, censored).
CREATE TABLE fh2007_customers AS
SELECT cur.cohort, cur.year AS tenure, true AS churned
  FROM fh2007 cur JOIN fh2007 prev ON prev.cohort = cur.cohort AND prev.year = cur.year - 1,
       generate_series(1, (10 * (prev.percent_alive - cur.percent_alive))::integer)
UNION ALL
SELECT cohort, 7, false FROM fh2007, generate_series(1, (10 * percent_alive)::integer) WHERE year = 7;
SELECT cohort, count(*) AS customers, count(*) FILTER (WHERE churned) AS lost FROM fh2007_customers
 GROUP BY cohort ORDER BY cohort;
-- FH 2007: regular alpha = 0.704, beta = 1.182, LL = -1680.27; high end alpha = 0.668, beta = 3.806,
-- LL = -1611.16.
CREATE TABLE fh2007_models AS
SELECT cohort, sbg_fit(tenure, churned) AS model FROM fh2007_customers GROUP BY cohort;
SELECT cohort, round((model).alpha::numeric, 3) AS alpha, round((model).beta::numeric, 3) AS beta,
       round((model).log_likelihood::numeric, 2) AS log_likelihood, (model).customers, (model).converged,
       (model).iterations > 0 AS iterated
  FROM fh2007_models ORDER BY cohort;
-- FH 2007: projected survival of the regular cohort at year 12, 17.0% (actual 17.3%); the projection for years
-- 0-12 of both cohorts.
SELECT round(100 * sbg_survival(model, 12)::numeric, 1) AS regular_year_12 FROM fh2007_models
 WHERE cohort = 'regular';
SELECT t AS year,
       round(100 * sbg_survival(r.model, t)::numeric, 1) AS regular,
       round(100 * sbg_survival(h.model, t)::numeric, 1) AS high_end,
       (SELECT percent_alive FROM fh2007 WHERE cohort = 'regular' AND year = t) AS regular_actual
  FROM fh2007_models r, fh2007_models h, generate_series(0, 12) AS t
 WHERE r.cohort = 'regular' AND h.cohort = 'high end' ORDER BY t;

-- The scalars against closed forms at the published parameters (a model composite needs only alpha and beta):
-- r(t) = (b + t - 1)/(a + b + t - 1); S(t) = prod_{i <= t} r(i); P(T = t) = S(t - 1) - S(t).
CREATE TEMP TABLE published AS SELECT ROW(0.704, 1.182, NULL, NULL, NULL, NULL)::sbg_model AS model;
SELECT count(*) AS periods_checked,
       max(abs(sbg_retention_rate(model, t) - (1.182 + t - 1) / (0.704 + 1.182 + t - 1))) < 1e-15 AS retention_ok,
       max(abs(sbg_survival(model, t) - s)) < 1e-13 AS survival_ok,
       max(abs(sbg_churn_probability(model, t) - (s_prev - s))) < 1e-13 AS churn_ok
  FROM published,
       (SELECT t, exp(sum(ln((1.182 + t - 1) / (0.704 + 1.182 + t - 1))) OVER (ORDER BY t)) AS s,
               coalesce(exp(sum(ln((1.182 + t - 1) / (0.704 + 1.182 + t - 1)))
                              OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)), 1) AS s_prev
          FROM generate_series(1, 60) AS t) AS closed_form;
SELECT sbg_survival(model, 0) AS s0, round(sbg_churn_probability(model, 1)::numeric, 6) AS p1_equals_mean_churn,
       round((0.704 / (0.704 + 1.182))::numeric, 6) AS alpha_over_alpha_plus_beta
  FROM published;

-- DERL (FH 2010 eq. (6)) at the regular cohort's parameters, d = 0.1: 2.9646621461320315 for a new customer
-- (mpmath 2F1 at 30 digits, src/core's unit test), and for both n = 1 and n = 5 the series of the definition,
-- sum_{t >= n} S(t)/S(n-1) / (1 + d)^(t - n), summed in plain SQL over 600 terms (the rest is below 1e-20).
SELECT round(sbg_discounted_expected_residual_lifetime(model, 1, 0.1)::numeric, 12) AS derl_new,
       round(sbg_discounted_expected_residual_lifetime(model, 5, 0.1)::numeric, 12) AS derl_after_4_renewals
  FROM published;
SELECT n, round(sum(ratio / 1.1 ^ (t - n))::numeric, 12) AS plain_sql_series
  FROM (SELECT n, t, exp(sum(ln((1.182 + t - 1) / (0.704 + 1.182 + t - 1)))
                           OVER (PARTITION BY n ORDER BY t)) AS ratio
          FROM (VALUES (1), (5)) AS v(n), LATERAL generate_series(n, n + 600) AS t) AS terms
 GROUP BY n ORDER BY n;
-- Undiscounted: (beta + n - 1)/(alpha - 1) when alpha > 1 (here (3 + 2 - 1)/1.5 = 2.666667), infinite otherwise,
-- which is an error (22023) rather than an Infinity.
SELECT round(sbg_discounted_expected_residual_lifetime(ROW(2.5, 3, NULL, NULL, NULL, NULL)::sbg_model, 2, 0)
             ::numeric, 6) AS alpha_above_1;
SELECT sbg_discounted_expected_residual_lifetime(model, 1, 0) AS alpha_below_1
  FROM published;

-- NULLs: rows with a NULL are ignored; no rows give NULL; a NULL model or period gives NULL.
SELECT sbg_fit(tenure, churned) IS NULL AS no_rows FROM fh2007_customers WHERE false;
SELECT (sbg_fit(t, c)).customers AS nulls_ignored
  FROM (VALUES (1, true), (NULL, true), (2, NULL), (3, false), (2, true)) AS v(t, c);
SELECT sbg_survival(NULL, 3) IS NULL AS null_model, sbg_survival(model, NULL) IS NULL AS null_period FROM published;

-- Bad input: tenure < 1, a negative period or discount rate, a model with a non-positive parameter: 22023;
-- tenure above 100000: 54000; malformed states are refused.
SELECT sbg_fit(t, true) FROM (VALUES (0)) AS v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_fit(t, true) FROM (VALUES (100001)) AS v(t);
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_survival(model, -1) FROM published;
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_retention_rate(model, 0) FROM published;
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_discounted_expected_residual_lifetime(model, 1, -0.1) FROM published;
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_discounted_expected_residual_lifetime(model, 0, 0.1) FROM published;
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_survival(ROW(-1, 1, NULL, NULL, NULL, NULL)::sbg_model, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_survival(ROW(NULL, 1, NULL, NULL, NULL, NULL)::sbg_model, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_fit_final('{1,2,3}');
\echo :LAST_ERROR_SQLSTATE
SELECT sbg_fit_final('{1,-2}');
\echo :LAST_ERROR_SQLSTATE
-- Support functions: the state is the histogram [churned_1, censored_1, churned_2, ...]; called directly they
-- do not modify their argument.
SELECT sbg_fit_accum(s, 3, false) AS accumulated, s AS unchanged FROM (VALUES ('{1,0}'::float8[])) AS v(s);
SELECT sbg_fit_combine('{1,0}', '{0,1,2,0}') AS combined, sbg_fit_combine('{0,1,2,0}', '{1,0}') AS reversed;
-- Nobody ever churns: the fit says it did not converge (the data do not identify the parameters).
SELECT (m).converged, (m).customers FROM (SELECT sbg_fit(5, false) AS m FROM generate_series(1, 100)) AS t;

-- Recovery of simulated parameters: theta = u^2 is Beta(1/2, 1); tenure is geometric in theta, observed for at
-- most 12 periods. 100,000 customers give alpha and beta within a few percent of (0.5, 1).
SELECT setseed(0.1);
CREATE TABLE simulated AS
SELECT least(tenure, 12) AS tenure, tenure <= 12 AS churned
  FROM (SELECT least(13, greatest(1, ceil(ln(1 - random()) / ln(1 - theta))))::integer AS tenure
          FROM (SELECT greatest(random() ^ 2, 1e-12) AS theta FROM generate_series(1, 100000)) AS t) AS s;
ANALYZE simulated;
SELECT abs((m).alpha - 0.5) < 0.03 AS alpha_recovered, abs((m).beta - 1) < 0.08 AS beta_recovered,
       (m).converged, (m).customers
  FROM (SELECT sbg_fit(tenure, churned) AS m FROM simulated) AS t;

-- A forced parallel plan (Partial and Finalize Aggregate) gives the serial result.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sbg_fit(tenure, churned) FROM simulated;
CREATE TEMP TABLE parallel_result AS SELECT sbg_fit(tenure, churned) AS m FROM simulated;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT p.m = s.m AS same_model FROM parallel_result p, (SELECT sbg_fit(tenure, churned) AS m FROM simulated) AS s;
RESET max_parallel_workers_per_gather;
