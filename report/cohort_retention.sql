-- title: Cohort retention
-- caption: Each row is a monthly cohort of first-time buyers (its month and size); each cell is the share of the
-- caption: cohort who bought again in month k after their first month, in percent. Months are calendar months
-- caption: counted by the window function cohort_period(ordered_at, 'month'), the rates by the aggregate
-- caption: cohort_retention(periods) (its rate field). Month 0 (always 100%) and months not yet over at the end
-- caption: of the data are left out.
-- Output: cohort_row, month, rate, cohort label (cohort_row 0 is the oldest cohort).
WITH events AS (
  SELECT customer_id, ordered_at,
         cohort_period(ordered_at, 'month') OVER (PARTITION BY customer_id) AS period
    FROM report_orders),
buyers AS (
  SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort, array_agg(period) AS periods
    FROM events GROUP BY customer_id),
matrix AS (
  SELECT t.cohort, cell.period, cell.cohort_size, cell.rate
    FROM (SELECT cohort, cohort_retention(periods) AS cells FROM buyers GROUP BY cohort) AS t,
         unnest(t.cells) AS cell)
SELECT dense_rank() OVER (ORDER BY cohort) - 1 AS cohort_row, period AS month, rate,
       to_char(cohort, 'YYYY-MM') || ' (' || cohort_size || ')' AS cohort
  FROM matrix, report_settings
 WHERE period >= 1
   -- the whole month must lie within the data
   AND cohort + (period + 1) * interval '1 month' <= data_end + 1
 ORDER BY cohort, period;
