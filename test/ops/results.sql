-- Everything the fixture's objects answer (test/ops/fixture.sql), as plain text to compare between databases:
-- the stored models, then every view and the materialized view, in a fixed order. Floats print exactly
-- (extra_float_digits = 3), so "the same results" means the same bits.
\set ON_ERROR_STOP on
SET extra_float_digits = 3;
\pset format unaligned
\pset footer off
SELECT * FROM stored_models ORDER BY segment;
SELECT * FROM customer_predictions ORDER BY segment, customer_id;
SELECT * FROM donor_predictions ORDER BY segment, customer_id;
SELECT * FROM model_curves ORDER BY segment, k;
SELECT * FROM store_scores ORDER BY store;
SELECT * FROM weekly_summaries ORDER BY customer_id;
SELECT * FROM window_scores ORDER BY segment, customer_id;
SELECT * FROM summary_scores ORDER BY customer_id;
-- The same aggregates computed now rather than read from the views: fits on the stored data.
SELECT segment, bgnbd_fit(frequency, recency, t), pareto_nbd_fit(frequency, recency, t),
       gamma_gamma_fit(frequency, monetary)
  FROM customers GROUP BY segment ORDER BY segment;
