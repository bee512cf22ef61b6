-- The report's input from the CDNOW sample (Fader & Hardie; see ../shared/data/README.md): CDNOW_sample.txt, read
-- from psql's working folder (scripts/report.sh runs psql there). CDNOW has no survey answers: the NPS chart uses
-- the demo's simulated answers (scripts/demo/000_sample_data.sql, loaded first), and its caption says so.
-- Every chart reads these three relations only:
--   report_orders(customer_id, ordered_at, amount)   report_survey(responded_at, score)   report_settings (one row)
-- The log: master_id sample_id yyyymmdd number_of_cds dollar_value, separated by runs of spaces (CRLF lines).
CREATE TABLE cdnow_lines (line text);
-- \copy reads on the client side (the server runs as another user), relative to psql's folder.
\copy cdnow_lines FROM 'CDNOW_sample.txt' WITH (FORMAT text, DELIMITER E'\x01')
CREATE TABLE cdnow_orders AS
SELECT f[2]::integer AS customer_id, to_date(f[3], 'YYYYMMDD')::timestamptz AS ordered_at,
       f[5]::double precision AS amount
  FROM (SELECT regexp_split_to_array(btrim(line, E' \t\r'), '\s+') AS f FROM cdnow_lines) AS l;
ANALYZE cdnow_orders;
CREATE VIEW report_orders AS SELECT customer_id, ordered_at, amount FROM cdnow_orders;
CREATE VIEW report_survey AS SELECT responded_at, score FROM survey_responses;
CREATE TABLE report_settings AS
SELECT 'CDNOW sample (Fader & Hardie)'::text AS dataset,
       format('the CDNOW 1/10 sample: %s orders of %s customers who first bought in Q1 1997, to 1998-06-30; '
              'the NPS chart uses the demo''s simulated survey answers (CDNOW has none)',
              (SELECT count(*) FROM cdnow_orders), (SELECT count(DISTINCT customer_id) FROM cdnow_orders))
         AS description,
       'the demo''s simulated answers (scripts/demo/000_sample_data.sql): CDNOW has no survey'::text AS survey,
       -- the 39-week calibration period of Fader, Hardie & Lee (2005), then their 39-week holdout
       date '1997-09-30' AS calibration_end,
       date '1998-06-30' AS data_end;
