-- examples/10_nightly_refit.sql: a table of fitted models, and a procedure that refits them every night.
--
-- Models are plain values (composite types): fit them once, keep them in a table with the date they were fitted
-- and the data they saw, and score customers with them in views (20_bi_views.sql) without refitting.
-- Reads: orders(customer_id, ordered_at, amount) (00_sample_data.sql).

CREATE TABLE IF NOT EXISTS loyalty_models (
  model_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fitted_at    timestamptz NOT NULL DEFAULT now(),  -- when the fit ran
  as_of        date NOT NULL,                       -- the last day of the data it saw (the calibration end)
  time_unit    text NOT NULL,                       -- the unit of recency, t and the model's rates
  purchases    bgnbd_model NOT NULL,                -- who is still a customer, how often she buys
  spend        gamma_gamma_model NOT NULL,          -- what a purchase is worth
  customers    bigint NOT NULL,
  converged    boolean NOT NULL
);

-- Both models come from one statement, over one scan of the order log (one customer_summary per customer).
--
-- PL/pgSQL refuses the obvious form:
--     SELECT bgnbd_fit(s), gamma_gamma_fit(s) INTO purchases_model, spend_model FROM ...;
--     ERROR:  record variable cannot be part of multiple-item INTO list
-- because each target is itself a composite. Three ways round it:
--   1. SELECT ... INTO one row variable whose type has the two models as fields (below: fitted_models);
--   2. INSERT INTO loyalty_models (...) SELECT bgnbd_fit(s), gamma_gamma_fit(s) FROM ... (no variables at all);
--   3. two assignments, one model each (two scans of the orders):
--        purchases_model := (SELECT bgnbd_fit(s) FROM ...);  spend_model := (SELECT gamma_gamma_fit(s) FROM ...);
--      (not SELECT bgnbd_fit(s) INTO purchases_model: INTO a row variable spreads the select's columns over its
--      fields, and the whole model is not a double precision for its field r).
-- The procedure uses 1, since it looks at the fits before it stores them.
SET client_min_messages = warning;  -- no "does not exist, skipping" notice on the first run
DROP TYPE IF EXISTS fitted_models;
RESET client_min_messages;
CREATE TYPE fitted_models AS (purchases bgnbd_model, spend gamma_gamma_model);

CREATE OR REPLACE PROCEDURE refit_loyalty_models(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql AS $$
DECLARE
  fitted fitted_models;
BEGIN
  SELECT bgnbd_fit(s), gamma_gamma_fit(s)
    INTO fitted
    FROM (SELECT customer_summary(ordered_at, amount, as_of, 'week') AS s
            FROM orders
           WHERE ordered_at < as_of + 1   -- what was known that night (later rows would be holdout anyway)
           GROUP BY customer_id) AS summaries;

  IF fitted.purchases IS NULL OR fitted.spend IS NULL THEN
    RAISE EXCEPTION 'no orders up to %: nothing to fit', as_of;
  END IF;
  IF NOT (fitted.purchases).converged OR NOT (fitted.spend).converged THEN
    -- keep yesterday's models in use: the views read the latest converged row
    RAISE WARNING 'the fits as of % did not converge (BG/NBD %, Gamma-Gamma %); stored, not used',
      as_of, (fitted.purchases).converged, (fitted.spend).converged;
  END IF;

  INSERT INTO loyalty_models (as_of, time_unit, purchases, spend, customers, converged)
  VALUES (as_of, 'week', fitted.purchases, fitted.spend, (fitted.purchases).customers,
          (fitted.purchases).converged AND (fitted.spend).converged);
END
$$;

-- Nightly, e.g. from cron:  psql -d shop -c 'CALL refit_loyalty_models()'
-- or with the pg_cron extension:  SELECT cron.schedule('loyalty-refit', '0 3 * * *', 'CALL refit_loyalty_models()');
-- The sample data end on 2026-06-30: fit as of that day.
CALL refit_loyalty_models('2026-06-30');

SELECT model_id, fitted_at::date AS fitted_on, as_of, time_unit, customers, converged,
       round((purchases).r::numeric, 3) AS r, round((purchases).alpha::numeric, 3) AS alpha,
       round((purchases).a::numeric, 3) AS a, round((purchases).b::numeric, 3) AS b,
       round((spend).p::numeric, 2) AS p, round((spend).q::numeric, 2) AS q, round((spend).v::numeric, 2) AS v
  FROM loyalty_models ORDER BY model_id;
