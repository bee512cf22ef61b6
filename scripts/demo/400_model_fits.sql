-- Fitting the "buy till you die" models to the customers' calibration summaries (repeat purchases, recency,
-- age in weeks, from 200_customer_summary_rfm.sql): one aggregate per model.
\set QUIET on
DROP VIEW IF EXISTS model_input;
-- The calibration summaries of 200_customer_summary_rfm.sql (as of 2026-03-31, in weeks), made by the
-- customer_summary aggregate; a customer whose first purchase is on the last day (t = 0) tells a model nothing.
CREATE VIEW model_input AS
SELECT customer_id, first_order::date AS first_day, frequency, recency, t, monetary
  FROM demo_customer_summary WHERE t > 0;
\set QUIET off

\echo
\echo '== One aggregate fits a model: BG/NBD, Pareto/NBD and MBG/NBD on the customers, Gamma-Gamma on the repeat buyers'
SELECT 'BG/NBD' AS model,
       format('r %s, alpha %s, a %s, b %s', round((m).r::numeric, 3), round((m).alpha::numeric, 3),
              round((m).a::numeric, 3), round((m).b::numeric, 3)) AS parameters,
       round((m).log_likelihood::numeric, 1) AS log_likelihood, (m).customers, (m).converged
  FROM (SELECT bgnbd_fit(frequency, recency, t) AS m FROM model_input) AS f
UNION ALL
SELECT 'Pareto/NBD',
       format('r %s, alpha %s, s %s, beta %s', round((m).r::numeric, 3), round((m).alpha::numeric, 3),
              round((m).s::numeric, 3), round((m).beta::numeric, 3)),
       round((m).log_likelihood::numeric, 1), (m).customers, (m).converged
  FROM (SELECT pareto_nbd_fit(frequency, recency, t) AS m FROM model_input) AS f
UNION ALL
SELECT 'MBG/NBD',
       format('r %s, alpha %s, a %s, b %s', round((m).r::numeric, 3), round((m).alpha::numeric, 3),
              round((m).a::numeric, 3), round((m).b::numeric, 3)),
       round((m).log_likelihood::numeric, 1), (m).customers, (m).converged
  FROM (SELECT mbgnbd_fit(frequency, recency, t) AS m FROM model_input) AS f;

SELECT round((m).p::numeric, 2) AS p, round((m).q::numeric, 2) AS q, round((m).v::numeric, 2) AS v,
       round(((m).p * (m).v / ((m).q - 1))::numeric, 2) AS mean_spend_per_order, (m).customers AS repeat_buyers
  FROM (SELECT gamma_gamma_fit(frequency, monetary) AS m FROM model_input) AS f;

\echo
\echo '== Models are plain values: keep one per acquisition quarter in a table (a fit per group)'
\set QUIET on
DROP TABLE IF EXISTS churn_models;
CREATE TABLE churn_models AS
SELECT date_trunc('quarter', first_day)::date AS cohort, bgnbd_fit(frequency, recency, t) AS model
  FROM model_input GROUP BY 1;
\set QUIET off
SELECT cohort, round((model).r::numeric, 3) AS r, round((model).alpha::numeric, 2) AS alpha,
       round((model).a::numeric, 3) AS a, round((model).b::numeric, 3) AS b, (model).customers, (model).converged
  FROM churn_models ORDER BY cohort;

\echo
\echo '== Simulated customers: draw 100,000 from the fitted BG/NBD model and fit again (parameter recovery)'
SELECT round((m).r::numeric, 3) AS r, round((m).alpha::numeric, 3) AS alpha, round((m).a::numeric, 3) AS a,
       round((m).b::numeric, 3) AS b, (m).customers
  FROM (SELECT bgnbd_fit(s.frequency, s.recency, s.t) AS m
          FROM (SELECT bgnbd_fit(frequency, recency, t) AS fit FROM model_input) AS f,
               generate_series(1, 4) AS cohort,
               LATERAL bgnbd_simulate((fit).r, (fit).alpha, (fit).a, (fit).b, 13 * cohort, 25000, cohort) AS s) AS g;

\echo
\echo '== For a distributed engine: the log-likelihood and its gradient at given parameters, one small partial state per node'
SELECT round((l).log_likelihood::numeric, 3) AS log_likelihood,
       (SELECT array_agg(round(g::numeric, 6)) FROM unnest((l).gradient) AS g) AS gradient_at_the_fit,
       (l).customers
  FROM (SELECT bgnbd_log_likelihood(c.frequency, c.recency, c.t, f.m) AS l
          FROM model_input AS c, (SELECT bgnbd_fit(frequency, recency, t) AS m FROM model_input) AS f
         GROUP BY f.m) AS q;
