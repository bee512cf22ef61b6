-- order_kpis: a hand-computed example, time zones, NULLs and empty input, errors with their SQLSTATE, and every
-- field against its plain-SQL definition (count(DISTINCT), a lag() level for the gaps) on a random order log,
-- per month, under serial and forced-parallel plans.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';

-- Customer 1: 01-01 (10 + 5), 01-11 (20), 01-31 (30): three purchase days, gaps 10 and 20; first contact
-- 2023-12-25 10:00, first order 01-01 00:00: 6.5833 days. Customer 2: one order of 100 on 01-05, no contact.
-- Customer 3: 01-03 (15), 01-07 (25): gap 4; contact 01-01 00:00, 2 days before its first order.
-- customers 3, orders 7, revenue 205, AOV 205/7 = 29.2857, ARPU 68.3333, orders per customer 2.3333, repeat
-- customers 2 (rate 0.6667), purchase days 6, mean gap (30 + 4) / (6 - 3) = 11.3333, to first purchase
-- (6.5833 + 2) / 2 = 4.2917 days.
CREATE TABLE kpi_example (customer_id bigint, ordered_at timestamptz, amount float8, first_contact timestamptz);
INSERT INTO kpi_example VALUES
  (1, '2024-01-01 00:00', 10, '2023-12-25 10:00'), (1, '2024-01-01 18:00', 5, '2023-12-25 10:00'),
  (1, '2024-01-11 09:00', 20, '2023-12-25 10:00'), (1, '2024-01-31 12:00', 30, '2023-12-25 10:00'),
  (2, '2024-01-05 12:00', 100, NULL),
  (3, '2024-01-03 00:00', 15, '2024-01-01 00:00'), (3, '2024-01-07 08:00', 25, '2024-01-01 00:00');
SELECT (k).customers, (k).orders, (k).revenue, round((k).aov::numeric, 4) AS aov, round((k).arpu::numeric, 4) AS arpu,
       round((k).orders_per_customer::numeric, 4) AS orders_per_customer, (k).repeat_customers,
       round((k).repeat_purchase_rate::numeric, 4) AS repeat_rate, (k).purchase_days,
       round((k).mean_days_between_purchases::numeric, 4) AS mean_gap, (k).contact_customers,
       round((k).mean_days_to_first_purchase::numeric, 4) AS to_first_purchase
  FROM (SELECT order_kpis(customer_id, ordered_at, amount, first_contact) AS k FROM kpi_example) AS x;
-- Without first contacts: no contact field.
SELECT (k).customers, (k).contact_customers, (k).mean_days_to_first_purchase IS NULL AS no_contact_mean
  FROM (SELECT order_kpis(customer_id, ordered_at, amount) AS k FROM kpi_example) AS x;
-- One purchase day per customer: no gap, so no mean gap; repeat rate 0.
SELECT (k).customers, (k).repeat_purchase_rate, (k).purchase_days, (k).mean_days_between_purchases IS NULL AS no_gap
  FROM (SELECT order_kpis(customer_id, ordered_at, amount) AS k FROM kpi_example WHERE customer_id = 2) AS x;

-- Calendar days follow the session's TimeZone: 23:30 and 00:30 UTC are two days in UTC, one in Tokyo.
SELECT (order_kpis(1, t, 1)).purchase_days
  FROM (VALUES ('2024-01-01 23:30+00'::timestamptz), ('2024-01-02 00:30+00')) AS v(t);
SET TIME ZONE 'Asia/Tokyo';
SELECT (order_kpis(1, t, 1)).purchase_days
  FROM (VALUES ('2024-01-01 23:30+00'::timestamptz), ('2024-01-02 00:30+00')) AS v(t);
SET TIME ZONE 'UTC';

-- NULLs are ignored (a row without customer, time or amount); only such rows, or none, give NULL.
SELECT (k).customers, (k).orders, (k).revenue
  FROM (SELECT order_kpis(c, t, a) AS k
          FROM (VALUES (1, '2024-01-01'::timestamptz, 10.0), (NULL, '2024-01-02', 99.0), (2, NULL, 99.0),
                       (3, '2024-01-03', NULL), (1, '2024-01-04', 5.0)) AS v(c, t, a)) AS x;
SELECT order_kpis(c, t, a) IS NULL AS only_nulls
  FROM (VALUES (NULL::bigint, '2024-01-01'::timestamptz, 1.0), (1, NULL, 1.0)) AS v(c, t, a);
SELECT order_kpis(customer_id, ordered_at, amount) IS NULL AS empty,
       order_kpis(customer_id, ordered_at, amount, first_contact) IS NULL AS empty_with_contact
  FROM kpi_example WHERE false;

-- Bad input: infinite times are 22008, a non-finite amount 22023.
SELECT order_kpis(1, 'infinity'::timestamptz, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT order_kpis(1, now(), 1, '-infinity'::timestamptz);
\echo :LAST_ERROR_SQLSTATE
SELECT order_kpis(1, now(), 'NaN'::float8);
\echo :LAST_ERROR_SQLSTATE
SELECT order_kpis(1, now(), '-infinity'::float8);
\echo :LAST_ERROR_SQLSTATE

-- A random order log: 600 customers over a year (several orders a day for some), 30% without a first contact.
-- The month is stored too: with statistics on it the planner estimates 12 groups and chooses the partial
-- aggregation that the parallel check below needs (on the date_trunc expression it assumes 200 groups).
SELECT setseed(0.47);
CREATE TABLE kpi_customers AS
SELECT c AS customer_id,
       CASE WHEN random() < 0.7 THEN timestamptz '2023-06-01' + random() * interval '200 days' END AS first_contact
  FROM generate_series(1, 600) AS c;
CREATE TABLE kpi_orders AS
SELECT o.customer_id, o.ordered_at, o.amount, c.first_contact, date_trunc('month', o.ordered_at) AS month
  FROM (SELECT 1 + (random() * 599)::integer AS customer_id,
               timestamptz '2024-01-01' + random() * interval '365 days' AS ordered_at,
               round((random() * 120 - 10)::numeric, 2)::double precision AS amount
          FROM generate_series(1, 30000)) AS o
  JOIN kpi_customers c USING (customer_id);
INSERT INTO kpi_orders
SELECT customer_id, ordered_at + interval '2 hours', 7.5, first_contact, date_trunc('month', ordered_at + interval '2 hours')
  FROM kpi_orders WHERE customer_id % 5 = 0;
ANALYZE kpi_orders;

-- The plain-SQL definitions, per month: counts and sums directly, distinct purchase days with count(DISTINCT),
-- the gaps with lag() over each customer's purchase days, the contact delay from each customer's first order.
CREATE TABLE kpi_plain AS
WITH o AS (
  SELECT date_trunc('month', ordered_at) AS month, customer_id, ordered_at, amount, first_contact FROM kpi_orders
), totals AS (
  SELECT month, count(DISTINCT customer_id) AS customers, count(*) AS orders, sum(amount) AS revenue,
         count(DISTINCT (customer_id, ordered_at::date)) AS purchase_days
    FROM o GROUP BY month
), days AS (
  SELECT DISTINCT month, customer_id, ordered_at::date AS day FROM o
), gaps AS (
  SELECT month, customer_id, day - lag(day) OVER (PARTITION BY month, customer_id ORDER BY day) AS gap FROM days
), gap_stats AS (
  SELECT month, avg(gap) AS mean_gap, count(DISTINCT customer_id) FILTER (WHERE gap IS NOT NULL) AS repeaters
    FROM gaps GROUP BY month
), contact AS (
  SELECT month, count(*) AS contact_customers, avg(extract(epoch FROM first_order - first_contact) / 86400) AS delay
    FROM (SELECT month, customer_id, min(ordered_at) AS first_order, min(first_contact) AS first_contact
            FROM o GROUP BY month, customer_id) AS c
   WHERE first_contact IS NOT NULL GROUP BY month
)
SELECT month, customers, orders, revenue, revenue / orders AS aov, revenue / customers AS arpu,
       orders::float8 / customers AS orders_per_customer, repeaters AS repeat_customers,
       repeaters::float8 / customers AS repeat_purchase_rate, purchase_days, mean_gap, contact_customers, delay
  FROM totals JOIN gap_stats USING (month) JOIN contact USING (month);

-- Every field equals its definition: `mismatches` counts the months where one differs.
CREATE VIEW kpi_mismatches AS
SELECT count(*) AS months,
       count(*) FILTER (WHERE (k).customers <> p.customers OR (k).orders <> p.orders
                           OR abs((k).revenue - p.revenue) > 1e-6 OR abs((k).aov - p.aov) > 1e-9
                           OR abs((k).arpu - p.arpu) > 1e-9
                           OR abs((k).orders_per_customer - p.orders_per_customer) > 1e-12
                           OR (k).repeat_customers <> p.repeat_customers
                           OR abs((k).repeat_purchase_rate - p.repeat_purchase_rate) > 1e-12
                           OR (k).purchase_days <> p.purchase_days
                           OR abs((k).mean_days_between_purchases - p.mean_gap) > 1e-9
                           OR (k).contact_customers <> p.contact_customers
                           OR abs((k).mean_days_to_first_purchase - p.delay) > 1e-9) AS mismatches
  FROM kpi_plain p
  JOIN (SELECT month, order_kpis(customer_id, ordered_at, amount, first_contact) AS k
          FROM kpi_orders GROUP BY 1) AS x USING (month);
SET max_parallel_workers_per_gather = 0;
SELECT * FROM kpi_mismatches;
-- Two months by value.
SELECT p.month::date, p.customers, p.orders, round(p.revenue::numeric, 2) AS revenue,
       round(p.mean_gap::numeric, 4) AS mean_gap, round(p.delay::numeric, 4) AS delay
  FROM kpi_plain p WHERE p.month IN ('2024-01-01', '2024-07-01') ORDER BY 1;

-- Forced parallel plans: per month (Partial and Finalize Aggregate, states serialised between processes), and
-- the whole log in one group, where every customer's rows are spread over the workers and merged.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT month, order_kpis(customer_id, ordered_at, amount, first_contact) AS k FROM kpi_orders GROUP BY 1;
SELECT * FROM kpi_mismatches;
SET parallel_tuple_cost = 0;
EXPLAIN (COSTS OFF) SELECT order_kpis(customer_id, ordered_at, amount, first_contact) FROM kpi_orders;
CREATE TEMP TABLE kpi_parallel_whole AS
SELECT order_kpis(customer_id, ordered_at, amount, first_contact) AS k FROM kpi_orders;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT (p.k).customers = s.customers AND (p.k).orders = s.orders AND (p.k).purchase_days = s.purchase_days
         AND (p.k).repeat_customers = s.repeat_customers
         AND abs((p.k).mean_days_between_purchases - s.mean_gap) < 1e-9
         AND abs((p.k).revenue - s.revenue) < 1e-6 AS same_whole_log,
       (p.k).customers, (p.k).purchase_days, round((p.k).mean_days_between_purchases::numeric, 4) AS mean_gap
  FROM kpi_parallel_whole p,
       (SELECT count(DISTINCT customer_id) AS customers, count(*) AS orders, sum(amount) AS revenue,
               count(DISTINCT (customer_id, ordered_at::date)) AS purchase_days,
               count(DISTINCT customer_id) FILTER (WHERE gap IS NOT NULL) AS repeat_customers,
               avg(gap) AS mean_gap
          FROM (SELECT customer_id, ordered_at, amount,
                       ordered_at::date - lag(ordered_at::date) OVER (PARTITION BY customer_id ORDER BY ordered_at)
                         AS raw_gap
                  FROM kpi_orders) AS r
          LEFT JOIN LATERAL (SELECT nullif(raw_gap, 0) AS gap) AS g ON true) AS s;
RESET max_parallel_workers_per_gather;
