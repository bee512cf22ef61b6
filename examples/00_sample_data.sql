-- examples/00_sample_data.sql: the small data set every example reads. Run it first, in a database where
-- `CREATE EXTENSION loyalty` has been done:   psql -v ON_ERROR_STOP=1 -f examples/00_sample_data.sql
--
--   orders(customer_id, ordered_at, amount)             ~7,400 orders of 1,500 customers, 2025-01 .. 2026-06
--   survey_responses(store, responded_at, score, satisfaction)
--                                                       3,600 answers: NPS 0-10 and satisfaction 1-5
--
-- Use your own tables instead: every example reads only these columns. The data are generated (setseed makes
-- them the same on every run): each customer buys as a Poisson process with her own rate and may leave for
-- good after any purchase, the "buy till you die" story that the BG/NBD and Pareto/NBD models tell.
SET client_min_messages = warning;
DO $$ BEGIN PERFORM setseed(0.14); END $$;  -- the same data on every run

DROP TABLE IF EXISTS survey_responses, orders CASCADE;

CREATE TEMP TABLE sample_customers AS
SELECT id AS customer_id,
       timestamptz '2025-01-01 09:00+00' + random() * interval '450 days' AS first_order_at,
       exp(-3.3 + 0.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS orders_per_day,
       0.05 + 0.30 * random() AS leave_probability,
       15 + 70 * random() AS typical_basket
  FROM generate_series(1, 1500) AS id;

CREATE TABLE orders (
  customer_id integer NOT NULL,
  ordered_at  timestamptz NOT NULL,
  amount      numeric(10, 2) NOT NULL
);
INSERT INTO orders
-- The customer's traits travel with each purchase row: the recursive step reads no other table, so its random()
-- is drawn for every purchase (a filter on a joined table's scan would be drawn once and its hash reused).
WITH RECURSIVE purchase(customer_id, n, ordered_at, orders_per_day, leave_probability, typical_basket) AS (
  SELECT customer_id, 1, first_order_at, orders_per_day, leave_probability, typical_basket FROM sample_customers
  UNION ALL
  -- the next purchase after an exponential gap, unless the customer leaves after this one
  SELECT customer_id, n + 1, ordered_at - ln(1 - random()) / orders_per_day * interval '1 day',
         orders_per_day, leave_probability, typical_basket
    FROM purchase
   WHERE random() > leave_probability AND n < 200 AND ordered_at < timestamptz '2026-07-01'
)
SELECT customer_id, ordered_at, round((typical_basket * (0.5 + random()))::numeric, 2)
  FROM purchase
 WHERE ordered_at < timestamptz '2026-07-01'
 ORDER BY ordered_at;
CREATE INDEX ON orders (customer_id);

CREATE TABLE survey_responses (
  store        text NOT NULL,
  responded_at timestamptz NOT NULL,
  score        integer NOT NULL CHECK (score BETWEEN 0 AND 10),        -- "How likely are you to recommend us?"
  satisfaction integer NOT NULL CHECK (satisfaction BETWEEN 1 AND 5)  -- "How satisfied were you?"
);
INSERT INTO survey_responses
SELECT 'store ' || s,
       timestamptz '2025-01-01' + random() * interval '546 days',
       -- store 1 is the best liked, store 3 the least
       least(10, greatest(0, round(7.2 + (2 - s) * 0.8 + 2.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))),
       least(5, greatest(1, round(3.8 + (2 - s) * 0.4 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))
  FROM generate_series(1, 3) AS s, generate_series(1, 1200) AS i;

ANALYZE orders;
ANALYZE survey_responses;
RESET client_min_messages;

SELECT (SELECT count(*) FROM orders) AS orders,
       (SELECT count(DISTINCT customer_id) FROM orders) AS customers,
       (SELECT min(ordered_at)::date FROM orders) AS first_order,
       (SELECT max(ordered_at)::date FROM orders) AS last_order,
       (SELECT count(*) FROM survey_responses) AS survey_answers;
