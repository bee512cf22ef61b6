-- Sample data the project makes itself (deterministic: setseed), for the demo.
--   survey_responses(store, responded_at, score)          NPS answers, 0-10, and a 1-5 satisfaction rating
--   orders(customer_id, ordered_at, amount)                an order log of 4,000 customers, 2025-01 to 2026-06
-- Customers buy as a Poisson process with a personal rate and may leave for good after any purchase
-- (the "buy till you die" story the churn and CLV models tell).
\set QUIET on
SET client_min_messages = warning;
SELECT setseed(0.42) AS seed \gset

DROP TABLE IF EXISTS survey_responses;
CREATE TABLE survey_responses AS
SELECT 'store ' || s AS store,
       timestamptz '2026-01-01' + (random() * 180) * interval '1 day' AS responded_at,
       -- store 1 is the best liked, store 3 the least
       least(10, greatest(0, round(7.2 + (2 - s) * 0.8 + 2.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::integer AS score,
       least(5, greatest(1, round(3.8 + (2 - s) * 0.4 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::integer AS satisfaction
  FROM generate_series(1, 3) AS s, generate_series(1, 1500) AS i;

DROP TABLE IF EXISTS demo_customers;
CREATE TABLE demo_customers AS
SELECT id AS customer_id,
       timestamptz '2025-01-01' + (random() * 180) * interval '1 day' AS first_order_at,
       exp(-3.6 + 0.9 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS orders_per_day,
       0.05 + 0.35 * random() AS leave_probability,
       20 + 60 * random() AS typical_basket
  FROM generate_series(1, 4000) AS id;

DROP TABLE IF EXISTS orders;
CREATE TABLE orders AS
WITH RECURSIVE purchase(customer_id, n, ordered_at) AS (
  SELECT customer_id, 1, first_order_at FROM demo_customers
  UNION ALL
  SELECT p.customer_id, p.n + 1, p.ordered_at - ln(1 - random()) / c.orders_per_day * interval '1 day'
    FROM purchase p JOIN demo_customers c USING (customer_id)
   WHERE random() > c.leave_probability AND p.n < 500 AND p.ordered_at < timestamptz '2026-07-01'
)
SELECT p.customer_id, p.ordered_at, round((c.typical_basket * (0.5 + random()))::numeric, 2)::double precision AS amount
  FROM purchase p JOIN demo_customers c USING (customer_id)
 WHERE p.ordered_at < timestamptz '2026-07-01';
CREATE INDEX ON orders (customer_id);
ANALYZE survey_responses;
ANALYZE orders;
RESET client_min_messages;
\set QUIET off
\echo
\echo '== Sample data: survey answers and an order log (made by scripts/demo/000_sample_data.sql)'
SELECT (SELECT count(*) FROM survey_responses) AS survey_answers,
       (SELECT count(*) FROM orders) AS orders,
       (SELECT count(DISTINCT customer_id) FROM orders) AS customers,
       (SELECT min(ordered_at)::date FROM orders) AS first_order,
       (SELECT max(ordered_at)::date FROM orders) AS last_order;
