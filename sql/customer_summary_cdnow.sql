-- customer_summary on the CDNOW transaction log (Fader & Hardie's 1/10 sample, ../shared/data/cdnow): its weekly
-- calibration summary, calibration ending 1997-09-30, must reproduce the two summary files shipped with it
-- (frequency, recency and T in weeks rounded to 2 decimals; zbar, the mean value of the repeat purchase days).
-- The data is read from $LOYALTY_DATA_DIR; where it is absent the test says so and stops
-- (expected/customer_summary_cdnow_1.out).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET TIME ZONE 'UTC';
\getenv datadir LOYALTY_DATA_DIR
\set have_cdnow `test -r ":datadir/cdnow/CDNOW_sample.txt" && test -r ":datadir/cdnow/cdnow_customers_summary.csv" && test -r ":datadir/cdnow/cdnow_customers_summary_with_transactions.csv" && echo true || echo false`
\if :have_cdnow
-- \copy reads files on the client side (the server may run as another user), relative to psql's folder.
\cd :datadir/cdnow
-- The log: master_id sample_id yyyymmdd cds dollars, separated by runs of spaces (read as lines, then split).
CREATE TABLE cdnow_lines (line text);
\copy cdnow_lines FROM 'CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE cdnow_orders AS
SELECT f[2]::integer AS customer_id, to_date(f[3], 'YYYYMMDD')::timestamptz AS ordered_at,
       f[5]::double precision AS dollars
  FROM (SELECT regexp_split_to_array(btrim(line), '\s+') AS f FROM cdnow_lines) AS l;
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, min(ordered_at)::date AS first_day,
       max(ordered_at)::date AS last_day
  FROM cdnow_orders;
CREATE TABLE cdnow_summary (id integer, frequency integer, recency numeric, t numeric);
\copy cdnow_summary FROM 'cdnow_customers_summary.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE cdnow_zbar (id integer, x integer, t_x numeric, t numeric, zbar numeric);
\copy cdnow_zbar FROM 'cdnow_customers_summary_with_transactions.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE weekly AS
SELECT customer_id, customer_summary(ordered_at, dollars, '1997-09-30', 'week') AS s
  FROM cdnow_orders GROUP BY customer_id;
-- Every customer matches both files (rounding half up, as the files do: round(numeric)).
SELECT count(*) AS customers,
       count(*) FILTER (WHERE (w.s).frequency <> c.frequency) AS frequency_mismatches,
       count(*) FILTER (WHERE round((w.s).recency::numeric, 2) <> c.recency) AS recency_mismatches,
       count(*) FILTER (WHERE round((w.s).t::numeric, 2) <> c.t) AS t_mismatches,
       count(*) FILTER (WHERE round((w.s).monetary::numeric, 2) <> z.zbar) AS zbar_mismatches
  FROM weekly w JOIN cdnow_summary c ON c.id = w.customer_id JOIN cdnow_zbar z ON z.id = w.customer_id;
-- The file's T is (1997-09-30 - first purchase) / 7: the last calibration day itself is the end, as lifetimes
-- does with calibration_period_end. Ending a day later changes every customer's T.
SELECT count(*) FILTER (WHERE round((s).t::numeric, 2) <> c.t) AS t_mismatches_as_of_october_1
  FROM (SELECT customer_id, customer_summary(ordered_at, dollars, '1997-10-01', 'week') AS s
          FROM cdnow_orders GROUP BY customer_id) AS w JOIN cdnow_summary c ON c.id = w.customer_id;
-- A few customers side by side with the file, and the totals (Fader, Hardie & Lee 2005: 2,357 customers,
-- 1,411 of whom made no repeat purchase in the 39 weeks of calibration).
SELECT w.customer_id, (w.s).frequency, round((w.s).recency::numeric, 2) AS recency, round((w.s).t::numeric, 2) AS t,
       round((w.s).monetary::numeric, 2) AS monetary, c.frequency AS file_frequency, c.recency AS file_recency,
       c.t AS file_t, z.zbar AS file_zbar
  FROM weekly w JOIN cdnow_summary c ON c.id = w.customer_id JOIN cdnow_zbar z ON z.id = w.customer_id
 WHERE w.customer_id IN (1, 2, 3, 18, 1000, 2357) ORDER BY w.customer_id;
SELECT count(*) FILTER (WHERE (s).frequency = 0) AS no_repeat, sum((s).frequency) AS repeat_purchase_days,
       sum((s).holdout_frequency) AS holdout_purchase_days
  FROM weekly;
\else
\echo 'CDNOW reference data not found under LOYALTY_DATA_DIR: customer_summary_cdnow skipped'
\endif
