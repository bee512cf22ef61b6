-- Smoke test of an installed loyalty extension (debian/tests/smoke, test/package/build_and_install.sh):
-- the library loads, an aggregate and a model fit (NLopt) run, and their values are the known ones.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS loyalty CASCADE;
CREATE EXTENSION loyalty;
RESET client_min_messages;
SELECT extversion FROM pg_extension WHERE extname = 'loyalty';

-- 8 answers: promoters 10, 9, 9, 10; passives 7, 8; detractors 3, 6. NPS = 100 * (4 - 2) / 8 = 25.
SELECT nps(score) FROM (VALUES (10), (9), (9), (10), (7), (8), (3), (6)) AS answers(score);

-- BG/NBD on 10 customers (frequency, recency, t in weeks; the first three are CDNOW customers 1-3).
CREATE TEMP TABLE smoke_customers (frequency double precision, recency double precision, t double precision);
INSERT INTO smoke_customers VALUES
  (2, 30.43, 38.86), (1, 1.71, 38.86), (0, 0, 38.86), (0, 0, 38.86), (0, 0, 38.71), (7, 29.43, 38.71),
  (1, 5.00, 38.71), (0, 0, 38.57), (2, 35.71, 38.57), (0, 0, 38.57);
SELECT (m).customers, (m).log_likelihood < 0 AS finite_likelihood,
       (m).r > 0 AND (m).alpha > 0 AND (m).a > 0 AND (m).b > 0 AS positive_parameters
  FROM (SELECT bgnbd_fit(frequency, recency, t) AS m FROM smoke_customers) AS fit;

DO $$
DECLARE
  score double precision;
  model bgnbd_model;
BEGIN
  SELECT nps(s) INTO score FROM (VALUES (10), (9), (9), (10), (7), (8), (3), (6)) AS answers(s);
  IF score IS DISTINCT FROM 25 THEN
    RAISE EXCEPTION 'nps gave %, expected 25', score;
  END IF;
  -- an assignment: SELECT <one composite> INTO <a composite variable> would spread its fields over the variable's
  model := (SELECT bgnbd_fit(frequency, recency, t) FROM smoke_customers);
  IF model IS NULL OR model.customers <> 10 OR NOT model.log_likelihood < 0
     OR NOT (model.r > 0 AND model.alpha > 0 AND model.a > 0 AND model.b > 0) THEN
    RAISE EXCEPTION 'unexpected BG/NBD fit: %', model;
  END IF;
  IF p_alive(model, 0, 0, 38.86) <> 1 THEN  -- BG/NBD: a customer without repeat purchases is alive
    RAISE EXCEPTION 'p_alive(model, 0, 0, 38.86) is not 1';
  END IF;
END
$$;
SELECT 'loyalty smoke test: ok' AS result;
