-- title: Calibration vs holdout purchases
-- caption: Customers grouped by their repeat purchase days in the calibration period (x axis); for each group,
-- caption: the mean number of purchase days in the holdout period that followed, as it happened and as the
-- caption: BG/NBD model fitted on the calibration period alone predicted it, as the lifetimes library's
-- caption: plot_calibration_purchases_vs_holdout_purchases draws it. Summaries: customer_summary(ordered_at,
-- caption: amount, calibration_end, 'week') (frequency, recency, t, holdout_frequency); model: bgnbd_fit;
-- caption: prediction: expected_purchases(model, frequency, recency, t, holdout weeks).
-- Output: frequency bin (0 .. 9, then 10+), customers, actual mean, predicted mean.
CREATE TEMP TABLE calibration AS
SELECT customer_id, (customer_summary(ordered_at, amount, calibration_end, 'week')).*
  FROM report_orders, report_settings
 GROUP BY customer_id, calibration_end;
-- A customer first seen on the last calibration day (t = 0) or only in the holdout tells the model nothing.
DELETE FROM calibration WHERE t IS NULL OR t = 0;
CREATE TEMP TABLE fitted AS
SELECT bgnbd_fit(frequency, recency, t) AS model,
       (SELECT (data_end - calibration_end) / 7.0 FROM report_settings)::double precision AS holdout_weeks
  FROM calibration;
SELECT format('# note: calibration to %s, holdout %s weeks to %s; '
              'BG/NBD by bgnbd_fit on %s customers (weeks): r %s, alpha %s, a %s, b %s (converged: %s)',
              calibration_end, round(holdout_weeks::numeric, 1), data_end, (model).customers,
              round((model).r::numeric, 3), round((model).alpha::numeric, 3), round((model).a::numeric, 3),
              round((model).b::numeric, 3), CASE WHEN (model).converged THEN 'yes' ELSE 'NO' END)
  FROM fitted, report_settings;
SELECT least(frequency, 10) AS frequency_bin, count(*) AS customers,
       avg(holdout_frequency) AS actual,
       avg(expected_purchases(model, frequency, recency, t, holdout_weeks)) AS predicted,
       CASE WHEN frequency >= 10 THEN '10+' ELSE frequency::text END AS label
  FROM calibration, fitted
 GROUP BY 1, 5 ORDER BY 1;
