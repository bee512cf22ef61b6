-- The CDNOW tables the examples marked ```sql cdnow read (test/docs/run.sh loads this file, from the folder of
-- the reference data ../shared/data/cdnow, only where it is present): the 1/10 sample of Fader & Hardie.
--
--   cdnow_orders(customer_id, ordered_at, amount)   6,919 orders of 2,357 customers, 1997-01-01 .. 1998-06-30
--   cdnow_summary(customer_id, frequency, recency, t, monetary)
--                                                   their weekly calibration summary as of 1997-09-30 (39 weeks),
--                                                   from customer_summary
--   cdnow_summaries(customer_id, s)                 the same as customer_summary_result composites, with the
--                                                   holdout (the 39 weeks after 1997-09-30)
-- The log: master_id sample_id yyyymmdd number_of_cds dollar_value, separated by runs of spaces.
CREATE TEMP TABLE cdnow_lines (line text);
\copy cdnow_lines FROM 'CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE cdnow_orders AS
SELECT f[2]::integer AS customer_id, to_date(f[3], 'YYYYMMDD')::timestamptz AS ordered_at,
       f[5]::double precision AS amount
  FROM (SELECT regexp_split_to_array(btrim(line, E' \t\r'), '\s+') AS f FROM cdnow_lines) AS l;
CREATE TABLE cdnow_summaries AS
SELECT customer_id, customer_summary(ordered_at, amount, '1997-09-30', 'week') AS s
  FROM cdnow_orders GROUP BY customer_id;
CREATE TABLE cdnow_summary AS
SELECT customer_id, (s).frequency, (s).recency, (s).t, (s).monetary FROM cdnow_summaries;
ANALYZE cdnow_orders, cdnow_summary, cdnow_summaries;
