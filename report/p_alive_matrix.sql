-- title: P(alive) by frequency and recency
-- caption: The probability that a customer is still active, by her number of repeat purchase days (frequency) and
-- caption: the weeks from her first to her last purchase (recency), for a customer first seen T weeks before
-- caption: the end of the data, as the lifetimes library's plot_probability_alive_matrix draws it. The BG/NBD
-- caption: model is fitted by the aggregate bgnbd_fit on the customers' summaries in weeks (customer_summary as
-- caption: of the last day), and each cell is p_alive(model, frequency, recency, T). Customers with many
-- caption: purchases and a recent last one are alive; those who bought often and then stopped are not.
-- caption: BG/NBD lets a customer leave only after a repeat purchase, so frequency 0 is 1 whatever the recency.
-- Output: recency, frequency, p_alive on a regular grid (41 recencies from 0 to T, frequencies 0 to the 99th
-- percentile of the customers' frequencies, so that a few heavy buyers do not squeeze the picture).
CREATE TEMP TABLE summaries AS
SELECT customer_id, (customer_summary(ordered_at, amount, data_end, 'week')).*
  FROM report_orders, report_settings
 GROUP BY customer_id, data_end;
CREATE TEMP TABLE fitted AS
SELECT bgnbd_fit(frequency, recency, t) AS model,
       round(max(t)::numeric, 1)::double precision AS t_max,
       greatest(1, percentile_disc(0.99) WITHIN GROUP (ORDER BY frequency)) AS frequency_max
  FROM summaries WHERE t > 0;
SELECT format('# note: BG/NBD by bgnbd_fit on %s customers (weeks): r %s, alpha %s, a %s, b %s (converged: %s); '
              'T = %s weeks',
              (model).customers, round((model).r::numeric, 3), round((model).alpha::numeric, 3),
              round((model).a::numeric, 3), round((model).b::numeric, 3),
              CASE WHEN (model).converged THEN 'yes' ELSE 'NO' END, t_max)
  FROM fitted;
SELECT format('# gp: T_weeks = %s', t_max) FROM fitted;
SELECT round(recency::numeric, 3) AS recency, frequency,
       -- a customer without a repeat purchase has recency 0 by definition; BG/NBD's P(alive) is 1 for her
       p_alive(model, frequency, CASE WHEN frequency = 0 THEN 0 ELSE recency END, t_max) AS p_alive
  FROM fitted,
       generate_series(0, frequency_max) AS frequency,
       LATERAL (SELECT t_max * step / 40 AS recency FROM generate_series(0, 40) AS step) AS grid
 ORDER BY frequency, recency;
