-- customer_state: late orders, the summary against customer_summary, the aggregate under a forced-parallel
-- plan, errors with their SQLSTATE, and state tables kept by the trigger (row and statement level) under 10,000
-- random inserts, late ones included, against summaries recomputed from the log.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';

-- Orders of 01-10 (20), 01-30 (5), then late ones: 01-20 (7), 01-10 again (3) and 01-05 (11), a new first day.
-- Purchase days 01-05, 01-10, 01-20, 01-30: frequency 3, recency 25, as_of 02-09: t 35, monetary
-- (46 - 11) / 3 = 11.6667, 10 days since the last.
CREATE TABLE state_example (n integer, ordered_at timestamptz, amount float8);
INSERT INTO state_example VALUES (1, '2024-01-10 10:00', 20), (2, '2024-01-30 09:00', 5), (3, '2024-01-20 12:00', 7),
                                 (4, '2024-01-10 18:00', 3), (5, '2024-01-05 08:00', 11);
CREATE TABLE state_steps AS
WITH RECURSIVE steps AS (
  SELECT 0 AS n, NULL::customer_state AS state
  UNION ALL
  SELECT e.n, customer_state_add(s.state, e.ordered_at, e.amount) FROM steps s JOIN state_example e ON e.n = s.n + 1
)
SELECT * FROM steps WHERE n > 0;
SELECT n, (state).orders, (state).purchase_days, (state).first_day, (state).last_day, (state).first_day_revenue,
       (state).days FROM state_steps ORDER BY n;
SELECT (s).frequency, (s).recency, (s).t, round((s).monetary::numeric, 4) AS monetary, (s).orders, (s).revenue,
       (s).first_order, (s).last_order, (s).days_since_last, (s).holdout_frequency
  FROM (SELECT customer_state_summary(state, '2024-02-09 20:00') AS s FROM state_steps WHERE n = 5) AS x;
-- The same as customer_summary over the orders, in days and in weeks; the aggregate gives the same state.
SELECT customer_state_summary(st.state, '2024-02-09 20:00') = cs.s AS same_summary,
       customer_state_summary(st.state, '2024-02-09 20:00', 'week') = cw.s AS same_summary_weeks,
       st.state = agg.state AS same_state_as_aggregate
  FROM state_steps st,
       (SELECT customer_summary(ordered_at, amount, '2024-02-09 20:00') AS s FROM state_example) AS cs,
       (SELECT customer_summary(ordered_at, amount, '2024-02-09 20:00', 'week') AS s FROM state_example) AS cw,
       (SELECT customer_state_agg(ordered_at, amount) AS state FROM state_example) AS agg
 WHERE st.n = 5;
-- Merging two halves gives the whole.
SELECT customer_state_merge(a.state, b.state) = w.state AS merged_is_whole
  FROM (SELECT customer_state_agg(ordered_at, amount) AS state FROM state_example WHERE n <= 2) AS a,
       (SELECT customer_state_agg(ordered_at, amount) AS state FROM state_example WHERE n > 2) AS b,
       (SELECT customer_state_agg(ordered_at, amount) AS state FROM state_example) AS w;

-- NULLs: a NULL time or amount leaves the state as it is; NULL states merge to the other; no order: NULL.
SELECT customer_state_add(state, NULL, 5) = state AS null_time_ignored,
       customer_state_add(state, now(), NULL) = state AS null_amount_ignored,
       customer_state_merge(state, NULL) = state AS merge_with_null,
       customer_state_merge(NULL, NULL) IS NULL AS both_null,
       customer_state_add(NULL, NULL, 1) IS NULL AS nothing,
       customer_state_summary(NULL, now()) IS NULL AS null_summary
  FROM state_steps WHERE n = 5;
SELECT customer_state_agg(ordered_at, amount) IS NULL AS empty FROM state_example WHERE false;

-- Bad input: as_of before the last purchase day (22023), a non-finite amount (22023), an infinite time (22008),
-- purchase days spanning more than 36,600 days (54000), a state whose fields disagree (22023), an unknown unit.
SELECT customer_state_summary(state, '2024-01-29') FROM state_steps WHERE n = 5;
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_add(NULL, now(), 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_add(NULL, 'infinity', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_add(customer_state_add(NULL, '1950-01-01', 1), '2050-06-01', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_summary(ROW(2, 10, 5, '2024-01-01', '2024-01-02', '2024-01-01', '2024-01-02', 3, '\x03')::customer_state, now());
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_summary(ROW(1, 10, 10, '2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01', 1, '\x03')::customer_state, now());
\echo :LAST_ERROR_SQLSTATE
SELECT customer_state_summary(state, now(), 'fortnight') FROM state_steps WHERE n = 5;
\echo :LAST_ERROR_SQLSTATE

-- A random order log, 400 customers: customer_state_agg per customer (serial, then forced parallel) against
-- customer_summary.
SELECT setseed(0.71);
CREATE TABLE state_log AS
SELECT 1 + (random() * 399)::integer AS customer_id,
       timestamptz '2023-01-01' + random() * interval '700 days' AS ordered_at,
       round((random() * 100 - 5)::numeric, 2)::float8 AS amount
  FROM generate_series(1, 20000);
ANALYZE state_log;
CREATE VIEW state_log_mismatches AS
SELECT count(*) AS customers,
       count(*) FILTER (WHERE (a.s).frequency <> (b.s).frequency OR (a.s).recency <> (b.s).recency
                           OR (a.s).t <> (b.s).t OR abs((a.s).monetary - (b.s).monetary) > 1e-9
                           OR (a.s).orders <> (b.s).orders OR abs((a.s).revenue - (b.s).revenue) > 1e-9
                           OR (a.s).first_order <> (b.s).first_order OR (a.s).last_order <> (b.s).last_order
                           OR (a.s).days_since_last <> (b.s).days_since_last) AS mismatches
  FROM (SELECT customer_id, customer_state_summary(customer_state_agg(ordered_at, amount), '2025-01-01') AS s
          FROM state_log GROUP BY 1) AS a
  JOIN (SELECT customer_id, customer_summary(ordered_at, amount, '2025-01-01') AS s FROM state_log GROUP BY 1) AS b
 USING (customer_id);
SET max_parallel_workers_per_gather = 0;
SELECT * FROM state_log_mismatches;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT customer_id % 7, customer_state_agg(ordered_at, amount) FROM state_log GROUP BY 1;
CREATE TEMP TABLE state_parallel AS
SELECT customer_id % 7 AS g, customer_state_agg(ordered_at, amount) AS state FROM state_log GROUP BY 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
-- Sums of doubles added in another order may differ in their last bits; everything else is exact.
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (p.state).orders <> (s.state).orders OR (p.state).days <> (s.state).days
                           OR (p.state).first_day <> (s.state).first_day OR (p.state).last_day <> (s.state).last_day
                           OR (p.state).purchase_days <> (s.state).purchase_days
                           OR (p.state).first_order <> (s.state).first_order
                           OR (p.state).last_order <> (s.state).last_order
                           OR abs((p.state).revenue - (s.state).revenue) > 1e-6
                           OR abs((p.state).first_day_revenue - (s.state).first_day_revenue) > 1e-9) AS mismatches
  FROM state_parallel p
  JOIN (SELECT customer_id % 7 AS g, customer_state_agg(ordered_at, amount) AS state FROM state_log GROUP BY 1) AS s
 USING (g);
RESET max_parallel_workers_per_gather;

-- The trigger, row level: 10,000 single-row INSERT statements of 300 customers' orders in random time order
-- (most of them late: older than the customer's newest order).
CREATE TABLE live_orders (id serial, customer_id bigint, ordered_at timestamptz, amount numeric(10, 2), note text);
CREATE TABLE live_state (customer_id bigint PRIMARY KEY, state customer_state);
CREATE TRIGGER live_orders_state AFTER INSERT ON live_orders
  FOR EACH ROW EXECUTE FUNCTION customer_state_trigger('live_state', 'customer_id', 'ordered_at', 'amount');
CREATE TRIGGER live_orders_no_change AFTER UPDATE OR DELETE ON live_orders
  FOR EACH ROW EXECUTE FUNCTION customer_state_trigger('live_state', 'customer_id', 'ordered_at', 'amount');
SELECT setseed(0.83);
DO $$
DECLARE
  o record;
BEGIN
  FOR o IN SELECT 1 + (random() * 299)::integer AS c, timestamptz '2022-01-01' + random() * interval '900 days' AS t,
                  round((random() * 80 + 1)::numeric, 2) AS a
             FROM generate_series(1, 10000) LOOP
    INSERT INTO live_orders (customer_id, ordered_at, amount) VALUES (o.c, o.t, o.a);
  END LOOP;
END $$;
INSERT INTO live_orders (customer_id, ordered_at, amount) VALUES (NULL, now(), 1), (1, NULL, 1), (1, now(), NULL);
SELECT count(*) AS late_orders
  FROM (SELECT ordered_at < max(ordered_at) OVER (PARTITION BY customer_id ORDER BY id
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
          FROM live_orders) AS x WHERE late;
CREATE VIEW live_mismatches AS
SELECT count(*) AS customers,
       count(*) FILTER (WHERE l.s IS NULL OR (l.s).frequency <> (r.s).frequency OR (l.s).recency <> (r.s).recency
                           OR (l.s).t <> (r.s).t OR abs((l.s).monetary - (r.s).monetary) > 1e-9
                           OR (l.s).orders <> (r.s).orders OR abs((l.s).revenue - (r.s).revenue) > 1e-9
                           OR (l.s).first_order <> (r.s).first_order OR (l.s).last_order <> (r.s).last_order
                           OR (l.s).days_since_last <> (r.s).days_since_last) AS mismatches
  FROM (SELECT customer_id, customer_summary(ordered_at, amount::float8, '2025-01-01') AS s
          FROM live_orders WHERE customer_id IS NOT NULL GROUP BY 1) AS r
  LEFT JOIN (SELECT customer_id, customer_state_summary(state, '2025-01-01') AS s FROM live_state) AS l
 USING (customer_id);
SELECT * FROM live_mismatches;
SELECT count(*) AS state_rows FROM live_state;
-- An UPDATE leaving customer, time and amount alone is fine; changing one, or a DELETE, is refused (0A000).
UPDATE live_orders SET note = 'checked' WHERE id <= 10;
UPDATE live_orders SET amount = amount + 1 WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM live_orders WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE

-- The trigger, statement level (the bulk form): 10,000 orders in 200 INSERT statements of 50 random orders each.
CREATE TABLE bulk_orders (customer_id integer, ordered_at timestamptz, amount float8);
CREATE TABLE bulk_state (customer_id integer PRIMARY KEY, state customer_state);
CREATE TRIGGER bulk_orders_state AFTER INSERT ON bulk_orders REFERENCING NEW TABLE AS new_orders
  FOR EACH STATEMENT EXECUTE FUNCTION customer_state_trigger('bulk_state', 'customer_id', 'ordered_at', 'amount');
SELECT setseed(0.29);
DO $$
BEGIN
  FOR i IN 1..200 LOOP
    INSERT INTO bulk_orders
    SELECT 1 + (random() * 299)::integer, timestamptz '2022-01-01' + random() * interval '900 days',
           round((random() * 80 + 1)::numeric, 2)
      FROM generate_series(1, 50);
  END LOOP;
END $$;
-- Revenue and monetary equal to rounding (the additions happen in another order), everything else exactly.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE b.s IS NULL OR (b.s).frequency <> (r.s).frequency OR (b.s).recency <> (r.s).recency
                           OR (b.s).t <> (r.s).t OR abs((b.s).monetary - (r.s).monetary) > 1e-9
                           OR (b.s).orders <> (r.s).orders OR abs((b.s).revenue - (r.s).revenue) > 1e-9
                           OR (b.s).first_order <> (r.s).first_order OR (b.s).last_order <> (r.s).last_order
                           OR (b.s).days_since_last <> (r.s).days_since_last) AS mismatches
  FROM (SELECT customer_id, customer_summary(ordered_at, amount, '2025-01-01') AS s FROM bulk_orders GROUP BY 1) AS r
  LEFT JOIN (SELECT customer_id, customer_state_summary(state, '2025-01-01') AS s FROM bulk_state) AS b
 USING (customer_id);
-- A statement-level trigger without a transition table is an error.
CREATE TABLE bulk_orders_2 (customer_id integer, ordered_at timestamptz, amount float8);
CREATE TRIGGER bulk_orders_2_state AFTER INSERT ON bulk_orders_2
  FOR EACH STATEMENT EXECUTE FUNCTION customer_state_trigger('bulk_state', 'customer_id', 'ordered_at', 'amount');
INSERT INTO bulk_orders_2 VALUES (1, now(), 1);
\echo :LAST_ERROR_SQLSTATE

-- A churn alert from the state table: the customers whose BG/NBD churn probability (a stored model, in weeks) is
-- above 0.9 at as_of, read from their state; the same figures as from the log.
CREATE TABLE state_model AS SELECT ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model AS model;
SELECT count(*) AS alerts,
       count(*) FILTER (WHERE abs(from_state - from_log) > 1e-12) AS mismatches
  FROM (SELECT churn_probability(m.model, (s).frequency, (s).recency / 7, (s).t / 7) AS from_state,
               (SELECT churn_probability(m.model, (c).frequency, (c).recency / 7, (c).t / 7)
                  FROM (SELECT customer_summary(ordered_at, amount::float8, '2025-01-01') AS c
                          FROM live_orders o WHERE o.customer_id = l.customer_id) AS y) AS from_log
          FROM state_model m,
               (SELECT customer_id, customer_state_summary(state, '2025-01-01') AS s FROM live_state) AS l) AS x
 WHERE from_state > 0.9;
