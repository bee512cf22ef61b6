-- Models in a table, for BI: fit nightly into a table with the fit date, and let a view score through the stored
-- row. A read of the view then costs what the scalar predictions cost, and a dashboard's point lookup
-- (WHERE customer_id = ...) scores one customer instead of fitting on every read as a window form would.
\set QUIET on
DROP VIEW IF EXISTS customer_scorecard;
DROP TABLE IF EXISTS churn_model_history;
CREATE TABLE churn_model_history (
    fitted_on date PRIMARY KEY,
    transactions pareto_nbd_model,
    spend gamma_gamma_model
);
-- The nightly job (cron, pg_cron, a scheduler): one row per fit date. Two composites of one query are read with
-- a subquery; in PL/pgSQL, SELECT ... INTO needs one variable per composite (examples/10_nightly_refit.sql).
INSERT INTO churn_model_history
SELECT (SELECT max(ordered_at) FROM orders)::date, pareto_nbd_fit(frequency, recency, t),
       gamma_gamma_fit(frequency, monetary)
  FROM customer_weeks;
-- The scorecard: the latest model, every customer's summary and scores.
CREATE VIEW customer_scorecard AS
SELECT w.customer_id, m.fitted_on, w.frequency, w.recency, w.t,
       (customer_scores(m.transactions, m.spend, w.frequency, w.recency, w.t, w.monetary, 13, 0.01, 4)).*
  FROM customer_weeks AS w,
       (SELECT * FROM churn_model_history ORDER BY fitted_on DESC LIMIT 1) AS m;
\set QUIET off
\echo
\echo '== The stored model (one row per fit date)'
SELECT fitted_on, round((transactions).r::numeric, 3) AS r, round((transactions).alpha::numeric, 3) AS alpha,
       round((transactions).s::numeric, 3) AS s, round((transactions).beta::numeric, 3) AS beta,
       (transactions).converged, (spend).customers AS repeat_buyers
  FROM churn_model_history;
\echo
\echo '== The scorecard view gives the window form''s scores (largest difference over all customers)'
SELECT count(*) AS customers,
       max(abs(v.churn_probability - c.churn_probability)) < 1e-9 AS same_churn_probability,
       max(abs(v.clv - c.clv)) < 1e-6 AS same_clv
  FROM customer_scorecard AS v JOIN customer_scores AS c USING (customer_id);
\echo
\echo '== A dashboard reads one customer: scored through the stored row'
SELECT customer_id, fitted_on, frequency, round(churn_probability::numeric, 3) AS churn_probability,
       round(clv::numeric, 2) AS clv_next_year, churn_risk
  FROM customer_scorecard
 WHERE customer_id = (SELECT min(customer_id) FROM customer_weeks WHERE frequency >= 3);
