-- title: CLV by RFM segment
-- caption: The mean expected value of a customer over the next year (13 four-week periods, discounted at 1% a
-- caption: period) in each RFM segment, and the number of customers in it. Segments: the window function
-- caption: rfm_score(days_since_last, orders, revenue) OVER () (quintiles of everybody; its segment field is
-- caption: rfm_segment of the three scores). Value: clv_estimate(BG/NBD, Gamma-Gamma, frequency, recency, t,
-- caption: monetary, 13, 0.01, 4), with the two models fitted by bgnbd_fit and gamma_gamma_fit on the customers'
-- caption: customer_summary in weeks as of the last day of the data.
-- Output: segment, customers, mean CLV, total CLV, sorted by mean CLV.
CREATE TEMP TABLE summaries AS
SELECT customer_id, (customer_summary(ordered_at, amount, data_end, 'week')).*
  FROM report_orders, report_settings
 GROUP BY customer_id, data_end;
-- Gamma-Gamma needs a positive mean spend of the repeat purchases (CDNOW has a few orders of $0).
CREATE TEMP TABLE scored_input AS
SELECT * FROM summaries WHERE t > 0 AND (frequency = 0 OR monetary > 0);
CREATE TEMP TABLE models AS
SELECT bgnbd_fit(frequency, recency, t) AS purchases, gamma_gamma_fit(frequency, monetary) AS spend
  FROM scored_input;
SELECT format('# note: %s customers (%s left out: first bought on the last day, or repeat purchases worth 0); '
              'BG/NBD r %s, alpha %s, a %s, b %s (converged: %s); '
              'Gamma-Gamma p %s, q %s, v %s on %s repeat buyers (converged: %s)',
              (purchases).customers, (SELECT count(*) FROM summaries) - (SELECT count(*) FROM scored_input),
              round((purchases).r::numeric, 3), round((purchases).alpha::numeric, 3),
              round((purchases).a::numeric, 3), round((purchases).b::numeric, 3),
              CASE WHEN (purchases).converged THEN 'yes' ELSE 'NO' END,
              round((spend).p::numeric, 3), round((spend).q::numeric, 3), round((spend).v::numeric, 3),
              (spend).customers, CASE WHEN (spend).converged THEN 'yes' ELSE 'NO' END)
  FROM models;
SELECT (rfm).segment, count(*) AS customers, avg(clv) AS mean_clv, sum(clv) AS total_clv
  FROM (SELECT rfm_score(days_since_last, orders, revenue) OVER () AS rfm,
               clv_estimate(purchases, spend, frequency, recency, t, monetary, 13, 0.01, 4) AS clv
          FROM scored_input, models) AS s
 GROUP BY 1 ORDER BY 3 DESC;
