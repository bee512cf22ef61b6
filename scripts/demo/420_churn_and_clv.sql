-- Churn risk and customer lifetime value from the order log, for a retention campaign.
-- The window forms fit BG/NBD (purchases and dropout) and Gamma-Gamma (spend) on all customers at once, then score
-- each of them: no export to Python or R, one statement.
\set QUIET on
-- One row per customer in weeks, as the models read it (customer_summary, as of the last day of the data):
-- frequency = repeat purchase days, recency = weeks from the first purchase to the last, t = weeks from the first
-- purchase to the end of the data, monetary = mean value of the repeat purchase days.
DROP TABLE IF EXISTS customer_weeks;
CREATE TABLE customer_weeks AS
SELECT customer_id, (s).frequency, (s).recency, (s).t, (s).monetary, (s).revenue AS spent_so_far
  FROM (SELECT customer_id, customer_summary(ordered_at, amount, (SELECT max(ordered_at) FROM orders), 'week') AS s
          FROM orders GROUP BY customer_id) AS g
 WHERE (s).t > 0;
-- Scores: P(churned) now, and the value of the next 13 four-week periods (one year) at 1% a period.
DROP TABLE IF EXISTS customer_scores;
CREATE TABLE customer_scores AS
SELECT customer_id, frequency, recency, t, spent_so_far,
       churn_probability(frequency, recency, t) OVER () AS churn,
       clv_estimate(frequency, recency, t, monetary, 13, 0.01, 4) OVER () AS clv_next_year
  FROM customer_weeks;
\set QUIET off
\echo
\echo '== Churn risk and expected value of the next year (BG/NBD + Gamma-Gamma, fitted on all customers in one statement)'
SELECT count(*) AS customers,
       round(avg(churn)::numeric, 3) AS mean_churn_probability,
       count(*) FILTER (WHERE churn > 0.5) AS likely_gone,
       round(sum(clv_next_year)::numeric) AS expected_revenue_next_year
  FROM customer_scores;
\echo
\echo '== Retention campaign: the 10 regular customers (3+ repeat orders) most at risk while still worth saving'
\echo '   (churn probability below 50%: those above are probably gone already; ordered by risk)'
SELECT customer_id, frequency AS repeat_orders, round((t - recency)::numeric, 1) AS weeks_since_last_order,
       round(spent_so_far::numeric) AS spent_so_far,
       round(churn::numeric, 3) AS churn_probability, round(clv_next_year::numeric, 2) AS clv_next_year
  FROM customer_scores
 WHERE frequency >= 3 AND churn < 0.5
 ORDER BY churn DESC
 LIMIT 10;
