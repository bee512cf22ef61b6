-- Churn risk and customer lifetime value from the order log, for a retention campaign, in one statement:
-- customer_scores(...) OVER () fits the transaction model (default Pareto/NBD, in which a one-time buyer's churn
-- probability grows with the time since the purchase) and Gamma-Gamma (spend) once on all customers, and returns
-- every score of every customer as one composite. No export to Python or R.
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
-- Scores: P(alive), churn probability, expected purchases and the value of the next 13 four-week periods (one
-- year) at 1% a period, and a churn-risk segment. The window function is called once (in the subquery) and its
-- composite expanded outside: (f(...) OVER ()).* would call it, and fit, once per field.
DROP TABLE IF EXISTS customer_scores;
CREATE TABLE customer_scores AS
SELECT customer_id, frequency, recency, t, spent_so_far, (scores).*
  FROM (SELECT w.*, customer_scores(frequency, recency, t, monetary, 13, 0.01, 4) OVER () AS scores
          FROM customer_weeks AS w) AS scored;
\set QUIET off
\echo
\echo '== Churn risk and expected value of the next year (Pareto/NBD + Gamma-Gamma, fitted on all customers in one statement)'
SELECT count(*) AS customers,
       round(avg(churn_probability)::numeric, 3) AS mean_churn_probability,
       count(*) FILTER (WHERE churn_probability > 0.5) AS likely_gone,
       round(sum(clv)::numeric) AS expected_revenue_next_year
  FROM customer_scores;
\echo
\echo '== Churn-risk segments (boundaries 0.25, 0.5, 0.75 of the churn probability; risk_boundaries => changes them)'
SELECT churn_risk, count(*) AS customers, round(avg(churn_probability)::numeric, 3) AS mean_churn,
       round(avg(clv)::numeric, 2) AS mean_clv_next_year
  FROM customer_scores GROUP BY churn_risk ORDER BY min(churn_probability);
\echo
\echo '== One-time buyers: the longer the silence since the only purchase, the likelier gone'
SELECT format('%s to %s', round(min(t)::numeric), round(max(t)::numeric)) AS weeks_since_the_purchase,
       count(*) AS customers, round(avg(churn_probability)::numeric, 3) AS mean_churn_probability
  FROM (SELECT t, churn_probability, ntile(4) OVER (ORDER BY t) AS quarter
          FROM customer_scores WHERE frequency = 0) AS one_time_buyers
 GROUP BY quarter ORDER BY quarter;
\echo
\echo '== Retention campaign: the 10 regular customers (3+ repeat orders) most at risk while still worth saving'
\echo '   (churn probability below 50%: those above are probably gone already; ordered by risk)'
SELECT customer_id, frequency AS repeat_orders, round((t - recency)::numeric, 1) AS weeks_since_last_order,
       round(spent_so_far::numeric) AS spent_so_far,
       round(churn_probability::numeric, 3) AS churn_probability, round(clv::numeric, 2) AS clv_next_year
  FROM customer_scores
 WHERE frequency >= 3 AND churn_probability < 0.5
 ORDER BY churn_probability DESC
 LIMIT 10;
