-- What a user's database holds (test/ops/*.sh): tables of data, a table of stored model composites, views over
-- the scalar predictions and the aggregates, window forms and a materialized view. It uses only the SQL surface
-- of 0.1.0, the oldest version an upgrade starts from, and generates its data deterministically (no random()).
SET client_min_messages = warning;
\set ON_ERROR_STOP on

-- Customers of two segments simulated from known BG/NBD and Gamma-Gamma parameters (a fixed seed).
CREATE TABLE customers AS
SELECT segment, s.customer_id, s.frequency, s.recency, s.t, s.monetary
  FROM generate_series(1, 2) AS segment,
       LATERAL bgnbd_simulate(0.25 * segment, 4.0, 0.8, 2.5, 39, 600, segment, 6.0, 4.0, 15.0) AS s;
-- Donors over 6 opportunities (BG/BB) and subscribers with their tenure (sBG).
CREATE TABLE donors AS
SELECT segment, s.customer_id, s.frequency, s.recency, s.n_periods
  FROM generate_series(1, 2) AS segment, LATERAL bgbb_simulate(1.2, 0.75, 0.66, 2.8, 6, 500, 10 + segment) AS s;
CREATE TABLE subscribers AS
SELECT 1 + i % 2 AS segment, 1 + (i * 7) % 9 AS tenure, (i * 13) % 5 < 2 AS churned
  FROM generate_series(1, 400) AS i;
-- An order log and survey answers.
CREATE TABLE orders AS
SELECT c AS customer_id,
       timestamptz '2026-01-01 10:00+00' + ((c * 3) % 60 + k * (2 + c % 11)) * interval '1 day' AS ordered_at,
       (10 + (c * 17 + k * 5) % 90)::double precision AS amount
  FROM generate_series(1, 300) AS c, generate_series(0, c % 7) AS k;
CREATE TABLE survey_answers AS
SELECT 'store ' || (1 + i % 3) AS store, (i * 7) % 11 AS score, 1 + (i * 3) % 5 AS satisfaction
  FROM generate_series(1, 900) AS i;

-- The stored models: one row per segment, one column per model type.
CREATE TABLE stored_models AS
SELECT c.segment, c.bgnbd, c.mbgnbd, c.pareto_nbd, c.gamma_gamma, d.bgbb, s.sbg
  FROM (SELECT segment, bgnbd_fit(frequency, recency, t) AS bgnbd, mbgnbd_fit(frequency, recency, t) AS mbgnbd,
               pareto_nbd_fit(frequency, recency, t) AS pareto_nbd, gamma_gamma_fit(frequency, monetary) AS gamma_gamma
          FROM customers GROUP BY segment) AS c
  JOIN (SELECT segment, bgbb_fit(frequency, recency, n_periods) AS bgbb FROM donors GROUP BY segment) AS d USING (segment)
  JOIN (SELECT segment, sbg_fit(tenure, churned) AS sbg FROM subscribers GROUP BY segment) AS s USING (segment);
ALTER TABLE stored_models ADD PRIMARY KEY (segment);

-- Scalar predictions of the stored models, per customer.
CREATE VIEW customer_predictions AS
SELECT c.segment, c.customer_id,
       p_alive(m.bgnbd, c.frequency, c.recency, c.t) AS bgnbd_p_alive,
       churn_probability(m.mbgnbd, c.frequency, c.recency, c.t) AS mbgnbd_churn,
       p_alive(m.pareto_nbd, c.frequency, c.recency, c.t) AS pareto_nbd_p_alive,
       expected_purchases(m.bgnbd, c.frequency, c.recency, c.t, 13) AS bgnbd_next_13,
       expected_purchases(m.pareto_nbd, c.frequency, c.recency, c.t, 13) AS pareto_nbd_next_13,
       expected_spend(m.gamma_gamma, c.frequency, c.monetary) AS expected_spend,
       clv_estimate(m.bgnbd, m.gamma_gamma, c.frequency, c.recency, c.t, c.monetary, 12, 0.01, 4) AS bgnbd_clv,
       clv_estimate(m.pareto_nbd, m.gamma_gamma, c.frequency, c.recency, c.t, c.monetary, 12, 0.01) AS pareto_nbd_clv
  FROM customers c JOIN stored_models m USING (segment);
CREATE VIEW donor_predictions AS
SELECT d.segment, d.customer_id, p_alive(m.bgbb, d.frequency, d.recency, d.n_periods) AS p_alive,
       expected_purchases(m.bgbb, d.frequency, d.recency, d.n_periods, 5) AS next_5
  FROM donors d JOIN stored_models m USING (segment);
CREATE VIEW model_curves AS
SELECT m.segment, k, expected_purchases_unconditional(m.bgnbd, 4.0 * k) AS bgnbd_unconditional,
       probability_of_purchases(m.pareto_nbd, 39, k) AS pareto_nbd_p_k,
       expected_purchases_unconditional(m.bgbb, k) AS bgbb_unconditional,
       sbg_survival(m.sbg, k) AS sbg_survival, sbg_retention_rate(m.sbg, k) AS sbg_retention,
       sbg_discounted_expected_residual_lifetime(m.sbg, k, 0.1) AS sbg_derl
  FROM stored_models m, generate_series(1, 6) AS k;

-- Aggregates and window forms, computed when the view is read.
CREATE VIEW store_scores AS
SELECT store, nps(score) AS nps, nps_stats(score) AS stats, csat(satisfaction) AS csat
  FROM survey_answers GROUP BY store;
CREATE VIEW weekly_summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2026-03-31', 'week', 'UTC') AS s
  FROM orders GROUP BY customer_id;
CREATE VIEW window_scores AS
SELECT segment, customer_id,
       p_alive(frequency, recency, t) OVER (PARTITION BY segment) AS p_alive,
       clv_estimate(frequency, recency, t, monetary, 12, 0.01) OVER (PARTITION BY segment) AS clv
  FROM customers;

-- A materialized view: summaries of the order log with a fit on them and RFM scores, stored at refresh time.
CREATE MATERIALIZED VIEW summary_scores AS
SELECT w.customer_id, w.s, rfm_score((w.s).days_since_last, (w.s).orders, (w.s).revenue) OVER () AS rfm,
       p_alive(f.bgnbd, (w.s).frequency, (w.s).recency, (w.s).t) AS p_alive
  FROM weekly_summaries w,
       (SELECT bgnbd_fit(s) AS bgnbd FROM weekly_summaries) AS f
 WHERE (w.s).t > 0;
