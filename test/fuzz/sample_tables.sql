-- Sample tables for sqlsmith: columns of every type the extension's functions take, so that its random queries
-- reach them (orders, survey scores, summaries, stored models, float8[] states).
CREATE EXTENSION loyalty;
CREATE TABLE orders AS
SELECT i % 50 AS customer_id, timestamptz '2024-01-01' + i * interval '7 hours' AS ordered_at,
       (i % 13) * 3.5::float8 AS amount, (i % 11)::int AS score, (i % 7 + 1)::int AS rating,
       timestamptz '2023-06-01' + (i % 40) * interval '9 days' AS started_at,
       CASE WHEN i % 3 = 0 THEN timestamptz '2024-02-01' + (i % 20) * interval '5 days' END AS ended_at,
       'day'::text AS unit, (i % 4 + 1)::float8 AS x
  FROM generate_series(1, 400) AS i;
CREATE TABLE summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, timestamptz '2024-03-01') AS s
  FROM orders GROUP BY customer_id;
CREATE TABLE models AS
SELECT (SELECT bgnbd_fit(s) FROM summaries) AS bg, (SELECT pareto_nbd_fit(s) FROM summaries) AS pareto,
       (SELECT mbgnbd_fit(s) FROM summaries) AS mbg, (SELECT gamma_gamma_fit(s) FROM summaries) AS gg,
       ROW(1.204, 0.750, 0.657, 2.783, 0, 100, true, 10)::bgbb_model AS bb,
       ROW(0.668, 3.806, 0, 100, true, 10)::sbg_model AS sbg,
       (SELECT rfm_thresholds((s).days_since_last, (s).frequency, (s).monetary) FROM summaries) AS breakpoints;
CREATE TABLE states AS SELECT ARRAY[1, 2, 3]::float8[] AS counters, ARRAY[0, 0, 0, 0]::float8[] AS counters4;
ANALYZE;
