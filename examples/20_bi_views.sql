-- examples/20_bi_views.sql: views for a BI tool (Metabase, Superset, Power BI, Tableau ...): plain columns,
-- one row per customer, segment or month, computed inside PostgreSQL.
--   customer_scorecard   every customer scored with the latest stored models (10_nightly_refit.sql)
--   segment_summary      RFM segments: size, revenue, churn risk and expected value
--   monthly_kpis         orders, revenue, buyers, retention, NPS and CSAT per calendar month
-- Reads: orders, survey_responses (00_sample_data.sql) and loyalty_models (10_nightly_refit.sql).

-- One row per customer: her summary as of the models' data date, in the models' time unit (weeks), her RFM
-- segment, and the predictions of the stored models. No fit runs here: the view reads the latest converged
-- models, so a dashboard query costs a scan of the orders and a few closed forms per customer.
CREATE OR REPLACE VIEW customer_scorecard AS
WITH model AS (
  SELECT model_id, fitted_at, as_of, purchases, spend
    FROM loyalty_models
   WHERE converged
   ORDER BY fitted_at DESC, model_id DESC
   LIMIT 1
),
summary AS (
  SELECT o.customer_id, customer_summary(o.ordered_at, o.amount, m.as_of, 'week') AS s
    FROM orders AS o CROSS JOIN model AS m
   GROUP BY o.customer_id
)
SELECT summary.customer_id,
       (s).orders, (s).revenue, (s).first_order, (s).last_order, (s).days_since_last,
       (s).frequency AS repeat_purchases, (s).recency AS recency_weeks, (s).t AS age_weeks,
       (rfm_score((s).days_since_last, (s).orders, (s).revenue) OVER ()).segment AS rfm_segment,
       p_alive(m.purchases, (s).frequency, (s).recency, (s).t) AS p_alive,
       expected_purchases(m.purchases, (s).frequency, (s).recency, (s).t, 13) AS purchases_next_13_weeks,
       expected_spend(m.spend, (s).frequency, (s).monetary) AS expected_spend_per_purchase,
       -- 13 periods of 4 weeks (one year), 1% discount a period
       clv_estimate(m.purchases, m.spend, (s).frequency, (s).recency, (s).t, (s).monetary, 13, 0.01, 4) AS clv_next_year,
       m.model_id, m.fitted_at AS model_fitted_at, m.as_of
  FROM summary CROSS JOIN model AS m
 WHERE (s).t > 0;  -- a customer whose first order is on the as_of day has no history to score yet

-- One row per RFM segment (standard 11-segment map), for a bar chart or a table.
CREATE OR REPLACE VIEW segment_summary AS
SELECT rfm_segment,
       count(*) AS customers,
       round(sum(revenue)::numeric, 2) AS revenue,
       round((100 * sum(revenue) / sum(sum(revenue)) OVER ())::numeric, 1) AS percent_of_revenue,
       round(avg(p_alive)::numeric, 3) AS mean_p_alive,
       count(*) FILTER (WHERE p_alive < 0.5) AS likely_lost,
       round(sum(clv_next_year)::numeric, 2) AS clv_next_year
  FROM customer_scorecard
 GROUP BY rfm_segment;

-- One row per calendar month: plain SQL for orders and revenue, the extension's aggregates for the rest.
--   retention_rate: share of the buyers active at the month's start still active at its end, a buyer counting
--   as lost 90 days after her last order (NULL for the months whose end + 90 days is past the data);
--   nps_stats / csat: the survey answers of the month, NPS with its 95% interval.
CREATE OR REPLACE VIEW monthly_kpis AS
WITH months AS (
  SELECT month::date AS month, (month + interval '1 month')::date AS next_month
    FROM generate_series((SELECT date_trunc('month', min(ordered_at)) FROM orders),
                         (SELECT date_trunc('month', max(ordered_at)) FROM orders), interval '1 month') AS month
),
sales AS (
  SELECT date_trunc('month', ordered_at)::date AS month, count(*) AS orders, sum(amount) AS revenue,
         count(DISTINCT customer_id) AS buyers
    FROM orders GROUP BY 1
),
newcomers AS (
  SELECT date_trunc('month', first_order)::date AS month, count(*) AS new_buyers
    FROM (SELECT min(ordered_at) AS first_order FROM orders GROUP BY customer_id) AS f GROUP BY 1
),
buyers AS (
  SELECT customer_id, min(ordered_at) AS first_order, max(ordered_at) AS last_order FROM orders GROUP BY 1
),
retention AS (
  SELECT m.month, retention_rate(b.first_order, b.last_order, interval '90 days', m.month, m.next_month) AS rate
    FROM months AS m CROSS JOIN buyers AS b
   WHERE m.next_month + 90 <= (SELECT max(ordered_at) FROM orders)
   GROUP BY m.month
),
survey AS (
  SELECT date_trunc('month', responded_at)::date AS month, nps_stats(score) AS nps, csat(satisfaction) AS csat
    FROM survey_responses GROUP BY 1
)
SELECT m.month, coalesce(s.orders, 0) AS orders, coalesce(s.revenue, 0) AS revenue,
       coalesce(s.buyers, 0) AS buyers, coalesce(n.new_buyers, 0) AS new_buyers,
       round(r.rate::numeric, 3) AS retention_rate_90_days,
       round((v.nps).nps::numeric, 1) AS nps, round((v.nps).ci_low::numeric, 1) AS nps_ci_low,
       round((v.nps).ci_high::numeric, 1) AS nps_ci_high, (v.nps).respondents,
       round(v.csat::numeric, 1) AS csat_percent
  FROM months AS m
  LEFT JOIN sales AS s USING (month)
  LEFT JOIN newcomers AS n USING (month)
  LEFT JOIN retention AS r USING (month)
  LEFT JOIN survey AS v USING (month);

-- What a dashboard would show.
SELECT customer_id, orders, round(revenue::numeric, 2) AS revenue, days_since_last, rfm_segment,
       round(p_alive::numeric, 3) AS p_alive, round(purchases_next_13_weeks::numeric, 2) AS purchases_next_13_weeks,
       round(clv_next_year::numeric, 2) AS clv_next_year
  FROM customer_scorecard ORDER BY clv_next_year DESC LIMIT 5;

SELECT * FROM segment_summary ORDER BY clv_next_year DESC;

SELECT * FROM monthly_kpis WHERE month >= '2025-10-01' ORDER BY month;
