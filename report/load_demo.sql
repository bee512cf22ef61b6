-- The report's input from the demo data (scripts/demo/000_sample_data.sql, loaded first): the order log, the
-- survey answers and the dates that frame the charts. Every chart reads these three relations only:
--   report_orders(customer_id, ordered_at, amount)   report_survey(responded_at, score)   report_settings (one row)
CREATE VIEW report_orders AS SELECT customer_id, ordered_at, amount FROM orders;
CREATE VIEW report_survey AS SELECT responded_at, score FROM survey_responses;
CREATE TABLE report_settings AS
SELECT 'demo data (scripts/demo/000_sample_data.sql)'::text AS dataset,
       'the demo''s simulated answers of three stores'::text AS survey,
       'a simulated order log of 4,000 customers (2025-01 to 2026-06) and 4,500 simulated survey answers '
       '(2026-01 to 2026-06)'::text AS description,
       -- the calibration period of the demo (scripts/demo/200_customer_summary_rfm.sql), then a 13-week holdout
       date '2026-03-31' AS calibration_end,
       date '2026-06-30' AS data_end;  -- orders end before 2026-07-01
