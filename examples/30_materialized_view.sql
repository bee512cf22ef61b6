-- examples/30_materialized_view.sql: the scorecard stored for dashboards, refreshed after each refit.
--
-- customer_scorecard (20_bi_views.sql) computes every customer's summary and scores when it is read. A BI tool
-- that reads it many times a day gets the same numbers faster from a materialized view, refreshed once the
-- nightly refit (10_nightly_refit.sql) has stored new models. The unique index allows REFRESH ... CONCURRENTLY,
-- which does not block the dashboards' reads while it runs.
CREATE MATERIALIZED VIEW IF NOT EXISTS customer_scorecard_snapshot AS
SELECT * FROM customer_scorecard
WITH DATA;
CREATE UNIQUE INDEX IF NOT EXISTS customer_scorecard_snapshot_customer ON customer_scorecard_snapshot (customer_id);
CREATE INDEX IF NOT EXISTS customer_scorecard_snapshot_segment ON customer_scorecard_snapshot (rfm_segment);

-- The nightly job: refit, then refresh. (Refitting on the same data gives a new model row with the same
-- parameters; in production as_of moves forward every night.)
CREATE OR REPLACE PROCEDURE nightly_loyalty_job(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql AS $$
BEGIN
  CALL refit_loyalty_models(as_of);
  COMMIT;  -- the new model is visible to other sessions even if the refresh below fails
  REFRESH MATERIALIZED VIEW CONCURRENTLY customer_scorecard_snapshot;
END
$$;
CALL nightly_loyalty_job('2026-06-30');

SELECT count(*) AS customers, max(model_id) AS model_id, max(model_fitted_at) AS model_fitted_at,
       round(sum(clv_next_year)::numeric) AS clv_next_year
  FROM customer_scorecard_snapshot;
