-- Scalar predictions of the fitted models (p_alive, churn_probability, expected_purchases,
-- expected_purchases_unconditional, probability_of_purchases, expected_spend), the window forms that fit BG/NBD
-- on their partition, NULLs, bad input with its SQLSTATE, and a parallel plan.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET extra_float_digits = 0;

-- Published CDNOW estimates: BG/NBD (0.243, 4.414, 0.793, 2.426) and Pareto/NBD (0.553, 10.578, 0.606, 11.669) of
-- Fader, Hardie & Lee (2005), "Counting your customers the easy way", and Gamma-Gamma (6.25, 3.74, 15.44) of
-- Fader, Hardie & Lee (2005), "RFM and CLV"; BG/BB donations estimates of Fader, Hardie & Shang (2010). "heavy"
-- is the Pareto/NBD fit on which heavy buyers overflow a direct evaluation (the issue's oracle).
-- The fit diagnostics are not needed by the predictions and are left NULL.
CREATE TEMP TABLE models AS
SELECT ROW(0.243, 4.414, 0.793, 2.426, -9582.4, 2357, true, 0)::bgnbd_model AS bgnbd,
       ROW(0.525, 6.183, 0.891, 1.614, NULL, NULL, NULL, NULL)::mbgnbd_model AS mbgnbd,
       ROW(0.553, 10.578, 0.606, 11.669, -9594.98, 2357, true, 0)::pareto_nbd_model AS pareto,
       ROW(0.5143, 2.8845, 0.2856, 14.1087, NULL, NULL, NULL, NULL)::pareto_nbd_model AS heavy,
       ROW(1.204, 0.750, 0.657, 2.783, -33225.6, 11104, true, 0)::bgbb_model AS bgbb,
       ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL)::gamma_gamma_model AS spend;

-- CDNOW customer x = 2, t_x = 30.43, T = 38.86 (weeks). Published: P(alive) = 0.7266, 1.226 purchases in the
-- next 39 weeks. At the published (rounded) parameters the formulas give P(alive) = 0.72657857008 and
-- E = 1.22602817477 (mpmath, 50 digits: the note's P(alive) closed form and FHL eq. 10 with mpmath.hyp2f1):
-- both agree with the published values to all their printed digits (4 and 4 significant), and with the mpmath
-- values to 1e-12.
SELECT round(p_alive(bgnbd, 2, 30.43, 38.86)::numeric, 4) AS p_alive,
       round(churn_probability(bgnbd, 2, 30.43, 38.86)::numeric, 4) AS churn,
       round(expected_purchases(bgnbd, 2, 30.43, 38.86, 39)::numeric, 3) AS next_39_weeks,
       abs(p_alive(bgnbd, 2, 30.43, 38.86) - 0.72657857008067291) < 1e-12 AS p_alive_mpmath,
       abs(expected_purchases(bgnbd, 2, 30.43, 38.86, 39) - 1.2260281747671444) < 1e-12 AS expected_mpmath
  FROM models;
-- A customer without repeat purchases is alive for BG/NBD (no dropout before the first repeat purchase).
SELECT p_alive(bgnbd, 0, 0, 38.86) AS p_alive_x0, churn_probability(bgnbd, 0, 0, 38.86) AS churn_x0 FROM models;
-- E[X(39)] of a new customer, FHL eq. 9 by mpmath: 1.19672319332. P(X(39) = k) sums to 1 over k and its mean
-- is E[X(39)] (plain SQL over k = 0..400; the tail beyond is below 1e-12).
SELECT round(expected_purchases_unconditional(bgnbd, 39)::numeric, 6) AS ex39,
       abs(expected_purchases_unconditional(bgnbd, 39) - 1.1967231933208168) < 1e-10 AS ex39_mpmath,
       round(probability_of_purchases(bgnbd, 39, 0)::numeric, 6) AS p0,
       abs(sum(probability_of_purchases(bgnbd, 39, k)) - 1) < 1e-9 AS sums_to_one,
       abs(sum(k * probability_of_purchases(bgnbd, 39, k)) - expected_purchases_unconditional(bgnbd, 39)) < 1e-8
         AS mean_is_ex39
  FROM models, generate_series(0, 400) AS k GROUP BY bgnbd;

-- BG/NBD P(alive) against its closed form in plain SQL, 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)),
-- over 3,000 customers and three models taken from a table: the model changes from row to row, so the per-query
-- model cache must re-read it whenever it differs.
CREATE TEMP TABLE bg_models AS
SELECT i AS model_id, ROW(0.2 * i, 3.0 + i, 0.5 + 0.3 * i, 2.0 * i, NULL, NULL, NULL, NULL)::bgnbd_model AS model
  FROM generate_series(1, 3) AS i;
CREATE TEMP TABLE histories AS
SELECT i AS id, x::double precision AS frequency,
       CASE WHEN x = 0 THEN 0 ELSE t * ((i * 37) % 100) / 100.0 END AS recency, t
  FROM generate_series(1, 1000) AS i, LATERAL (SELECT (i * 7) % 15 AS x, 1.0 + (i * 13) % 60 AS t) AS s;
SELECT count(*) AS rows_checked,
       max(abs(p_alive(m.model, h.frequency, h.recency, h.t) -
               CASE WHEN h.frequency = 0 THEN 1
                    ELSE 1 / (1 + (m.model).a / ((m.model).b + h.frequency - 1)
                              * ((((m.model).alpha + h.t) / ((m.model).alpha + h.recency))
                                 ^ ((m.model).r + h.frequency))) END)) < 1e-12 AS matches_closed_form
  FROM histories h, bg_models m;

-- MBG/NBD: P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)) (Batislam et al. 2007), below 1 also for
-- x = 0: 0.70620226512 and 0.38973508092; E over the next 39 weeks 1.26296062327 (lifetimes' closed form with
-- 2F1), E[X(39)] of a new customer 1.18295366560 (b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; .)]): all
-- by mpmath.
SELECT abs(p_alive(mbgnbd, 2, 30.43, 38.86) - 0.70620226511848728) < 1e-12 AS p_alive_ok,
       abs(p_alive(mbgnbd, 0, 0, 38.86) - 0.38973508091876290) < 1e-12 AS p_alive_x0_ok,
       abs(churn_probability(mbgnbd, 0, 0, 38.86) - (1 - 0.38973508091876290)) < 1e-12 AS churn_x0_ok,
       abs(expected_purchases(mbgnbd, 2, 30.43, 38.86, 39) - 1.2629606232673657) < 1e-10 AS expected_ok,
       abs(expected_purchases_unconditional(mbgnbd, 39) - 1.1829536655971726) < 1e-10 AS ex39_ok,
       abs((SELECT sum(probability_of_purchases(mbgnbd, 39, k)) FROM generate_series(0, 400) AS k) - 1) < 1e-9
         AS sums_to_one
  FROM models;

-- Pareto/NBD customer (26, 30.86, 31). Published: P(alive) = 0.9979, 25.46 purchases in the next 52 weeks. At the
-- published parameters, by mpmath (60 digits; P(alive) of Fader & Hardie's 2005 note, section 5, with
-- mpmath.hyp2f1; E of its section 6): 0.99791873106 and 25.4584729514, i.e. the published values to their printed
-- digits. E[X(39)] of a new customer (section 4): 1.21300284428.
SELECT round(p_alive(pareto, 26, 30.86, 31)::numeric, 4) AS p_alive,
       round(expected_purchases(pareto, 26, 30.86, 31, 52)::numeric, 2) AS next_52_weeks,
       abs(p_alive(pareto, 26, 30.86, 31) - 0.99791873105515829) < 1e-12 AS p_alive_mpmath,
       abs(churn_probability(pareto, 26, 30.86, 31) - (1 - 0.99791873105515829)) < 1e-12 AS churn_mpmath,
       abs(expected_purchases(pareto, 26, 30.86, 31, 52) - 25.458472951428768) < 1e-9 AS expected_mpmath,
       abs(expected_purchases_unconditional(pareto, 39) - 1.2130028442810157) < 1e-12 AS ex39_mpmath,
       abs((SELECT sum(probability_of_purchases(pareto, 39, k)) FROM generate_series(0, 400) AS k) - 1) < 1e-6
         AS sums_to_one
  FROM models;
-- Heavy buyers (x = 221 and 254 in 62 weeks) get finite P(alive), by mpmath: (221, 60, 62) 0.469103995737,
-- (254, 61, 62) 0.953345508004, (221, 30, 62) 3.71152408897e-63, (254, 10, 62) 2.46162117075e-176; and 52-week
-- expectations 76.8857092773 and 179.530085731 for the first two.
SELECT x, t_x, to_char(p, '9.99999EEEE') AS p_alive, p > 0 AND p <= 1 AS is_probability,
       abs(p / expected_p - 1) < 1e-9 AS p_alive_mpmath, abs(e / expected_e - 1) < 1e-9 AS expected_mpmath
  FROM models,
       (VALUES (221, 60, 0.46910399573712758, 76.885709277296903), (254, 61, 0.95334550800350688, 179.53008573100166),
               (221, 30, 3.7115240889669040e-63, 6.0831535154926064e-61),
               (254, 10, 2.4616211707460262e-176, 4.6356232458343644e-174)) AS c(x, t_x, expected_p, expected_e),
       LATERAL (SELECT p_alive(heavy, x, t_x, 62) AS p, expected_purchases(heavy, x, t_x, 62, 52) AS e) AS v
 ORDER BY x, t_x;

-- BG/BB on the donations estimates (Fader, Hardie & Shang 2010, table 2), time in opportunities. P(alive at
-- n + 1) by mpmath (FHS eq. 11): (3, 5, 6) 0.76673405000, (6, 6, 6) 0.93040254237, (0, 0, 6) 0.10801658417;
-- E over the next 5 opportunities (FHS eq. 13) 1.80442599979; E[X(6)] (FHS eq. 8) 2.21963139349.
SELECT abs(p_alive(bgbb, 3, 5, 6) - 0.76673404999572513) < 1e-12 AS p_alive_ok,
       abs(p_alive(bgbb, 6, 6, 6) - 0.93040254237288136) < 1e-12 AS p_alive_666_ok,
       abs(churn_probability(bgbb, 0, 0, 6) - (1 - 0.10801658416867420)) < 1e-12 AS churn_000_ok,
       abs(expected_purchases(bgbb, 3, 5, 6, 5) - 1.8044259997945683) < 1e-12 AS expected_ok,
       abs(expected_purchases_unconditional(bgbb, 6) - 2.2196313934872989) < 1e-12 AS ex6_ok
  FROM models;
-- FHS eq. 7 is a distribution over k = 0..n whose mean is eq. 8; and next-opportunity E = P(alive) E[p | data]
-- = P(alive) (alpha + x)/(alpha + beta + n) (closed form).
SELECT abs(sum(probability_of_purchases(bgbb, 6, k)) - 1) < 1e-12 AS sums_to_one,
       abs(sum(k * probability_of_purchases(bgbb, 6, k)) - expected_purchases_unconditional(bgbb, 6)) < 1e-12
         AS mean_is_ex6,
       abs(expected_purchases(bgbb, 3, 5, 6, 1) - p_alive(bgbb, 3, 5, 6) * (1.204 + 3) / (1.204 + 0.750 + 6))
         < 1e-12 AS next_one_closed_form
  FROM models, generate_series(0, 6) AS k GROUP BY bgbb;

-- Gamma-Gamma: E[M | x = 2, m = 22.35] = (v + m x) p / (p x + q - 1) = (15.44 + 44.70) 6.25 / 15.24 = 24.6637
-- (closed form). Published: 24.65, computed from the unrounded estimates and mean; the rounded parameters give
-- 24.66, i.e. the published value to within one unit of its last digit. Frequency 0: the population mean
-- p v / (q - 1) = 35.2190, whatever the monetary value.
SELECT round(expected_spend(spend, 2, 22.35)::numeric, 4) AS spend_x2,
       abs(expected_spend(spend, 2, 22.35) - (15.44 + 22.35 * 2) * 6.25 / (6.25 * 2 + 3.74 - 1)) < 1e-12
         AS closed_form,
       round(expected_spend(spend, 0, 0)::numeric, 4) AS spend_x0,
       expected_spend(spend, 0, 123) = expected_spend(spend, 0, 0) AS x0_ignores_monetary
  FROM models;

-- NULL arguments give NULL.
SELECT p_alive(bgnbd, NULL, 1, 2) IS NULL AS p_alive_null,
       churn_probability(NULL::bgnbd_model, 1, 1, 2) IS NULL AS churn_null_model,
       expected_purchases(mbgnbd, 1, 1, 2, NULL) IS NULL AS expected_null,
       p_alive(NULL::pareto_nbd_model, 1, 1, 2) IS NULL AS pareto_null,
       expected_purchases_unconditional(bgbb, NULL) IS NULL AS unconditional_null,
       probability_of_purchases(bgnbd, 10, NULL) IS NULL AS probability_null,
       expected_spend(spend, 2, NULL) IS NULL AS spend_null
  FROM models;

-- Bad input: 22023 naming the values.
SELECT p_alive(bgnbd, 1.5, 1, 2) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(bgnbd, 2, 3, 2) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT churn_probability(mbgnbd, 0, 1, 2) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(pareto, 3, 5, 4) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(bgnbd, 1, 0, 0) FROM models;
\echo :LAST_ERROR_SQLSTATE
-- t = 0 (first purchase at the end of the data) is a valid customer, one just acquired: P(alive) = 1 for BG/NBD
-- and Pareto/NBD, b/(a+b) for MBG/NBD (its customers may leave right after the first purchase), expectations
-- equal to a new customer's (closed forms: 1.614 / (0.891 + 1.614); the unconditional E[X(39)] above).
SELECT p_alive(bgnbd, 0, 0, 0) AS bgnbd_p_alive, p_alive(pareto, 0, 0, 0) AS pareto_p_alive,
       abs(p_alive(mbgnbd, 0, 0, 0) - 1.614 / (0.891 + 1.614)) < 1e-12 AS mbgnbd_b_over_a_plus_b,
       abs(expected_purchases(bgnbd, 0, 0, 0, 39) - expected_purchases_unconditional(bgnbd, 39)) < 1e-12 AS bgnbd_new,
       abs(expected_purchases(mbgnbd, 0, 0, 0, 39) - expected_purchases_unconditional(mbgnbd, 39)) < 1e-12
         AS mbgnbd_new,
       abs(expected_purchases(pareto, 0, 0, 0, 39) - expected_purchases_unconditional(pareto, 39)) < 1e-12
         AS pareto_new,
       abs(clv_estimate(pareto, spend, 0, 0, 0, 0, 12, 0.01, 4)
           - (SELECT sum(expected_spend(spend, 0, 0) * (expected_purchases_unconditional(pareto, 4 * i)
                                                        - expected_purchases_unconditional(pareto, 4 * (i - 1)))
                         / 1.01 ^ i) FROM generate_series(1, 12) AS i)) < 1e-9 AS pareto_clv_new
  FROM models;
SELECT p_alive(bgnbd, -1, 0, 3) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(bgnbd, 1, 1, 'infinity') FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT expected_purchases(bgnbd, 2, 1, 5, -1) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT expected_purchases_unconditional(mbgnbd, 'NaN') FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT probability_of_purchases(bgnbd, 10, -1) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(bgbb, 2, 1.5, 6) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT expected_purchases(bgbb, 2, 3, 6, 0.5) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT probability_of_purchases(bgbb, 6, 7) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT expected_spend(spend, 2, -5) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT expected_spend(ROW(2, 0.9, 3, NULL, NULL, NULL, NULL)::gamma_gamma_model, 0, 0);
\echo :LAST_ERROR_SQLSTATE
-- A model with a missing or non-positive parameter is refused (22023), however the composite was made.
SELECT p_alive(ROW(0.243, -4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model, 1, 1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT p_alive(ROW(0.243, 4.414, NULL, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model, 1, 1, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT expected_spend(ROW('NaN', 3.74, 15.44, NULL, NULL, NULL, NULL)::gamma_gamma_model, 1, 1);
\echo :LAST_ERROR_SQLSTATE

-- A forced parallel plan gives the serial result (each worker keeps its own model cache).
CREATE TABLE many_histories AS
SELECT i AS id, (i % 20)::double precision AS frequency,
       CASE WHEN i % 20 = 0 THEN 0 ELSE 40.0 * ((i * 7919) % 1000) / 1000.0 END AS recency, 40.0 AS t
  FROM generate_series(1, 100000) AS i;
ANALYZE many_histories;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT sum(p_alive(m.bgnbd, frequency, recency, t)) FROM many_histories, models m;
CREATE TEMP TABLE parallel_result AS
SELECT sum(p_alive(m.bgnbd, frequency, recency, t)) AS p, sum(expected_purchases(m.mbgnbd, frequency, recency, t, 10)) AS e
  FROM many_histories, models m;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT abs(p.p - s.p) < 1e-9 * s.p AS same_p_alive, abs(p.e - s.e) < 1e-9 * s.e AS same_expected,
       round(s.p::numeric, 3) AS sum_p_alive
  FROM parallel_result p,
       (SELECT sum(p_alive(m.bgnbd, frequency, recency, t)) AS p,
               sum(expected_purchases(m.mbgnbd, frequency, recency, t, 10)) AS e
          FROM many_histories, models m) AS s;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------------------------------------------------------
-- clv_estimate: sum over periods i = 1..H of E[M] (E[X(T, T + iL)] - E[X(T, T + (i-1)L)]) / (1 + d)^i.
-- ---------------------------------------------------------------------------------------------------------------
-- CDNOW customer (2, 30.43, 38.86, m = 22.35), 12 periods of 4 weeks at 1% a period: 33.8922461363 by mpmath
-- (FHL eq. 10 by mpmath.hyp2f1, E[M] = 24.6637), and the same sum written in plain SQL over expected_purchases and
-- expected_spend.
SELECT round(clv::numeric, 4) AS clv, abs(clv - 33.892246136323542) < 1e-8 AS clv_mpmath,
       abs(clv - plain_sql) < 1e-10 * clv AS clv_plain_sql
  FROM (SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 12, 0.01, 4) AS clv,
               (SELECT sum(expected_spend(spend, 2, 22.35)
                           * (expected_purchases(bgnbd, 2, 30.43, 38.86, 4 * i)
                              - expected_purchases(bgnbd, 2, 30.43, 38.86, 4 * (i - 1))) / 1.01 ^ i)
                  FROM generate_series(1, 12) AS i) AS plain_sql
          FROM models) AS c;
-- One period without discount is E[M] E[X(T, T + L)] (closed form); the default period is one time unit.
SELECT abs(clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 1, 0, 39)
           - expected_spend(spend, 2, 22.35) * expected_purchases(bgnbd, 2, 30.43, 38.86, 39)) < 1e-12
         AS one_period,
       clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 52, 0.002)
         = clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 52, 0.002, 1) AS default_period_is_one_unit,
       abs(clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 52, 0.002) - 36.612193935805687) < 1e-8
         AS weekly_mpmath,
       clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 0, 0.01, 4) AS zero_horizon
  FROM models;
-- MBG/NBD, Pareto/NBD and BG/BB by mpmath (lifetimes' MBG/NBD closed form; Fader & Hardie 2005 section 6;
-- FHS eq. 13): 34.7999924208, 676.457465418 (x = 26, m = 30), 2010.78978915 (heavy buyer, 221 purchases, m = 30)
-- and 119.795131500; BG/BB periods count opportunities (here 5 periods of 2).
SELECT abs(clv_estimate(mbgnbd, spend, 2, 30.43, 38.86, 22.35, 12, 0.01, 4) - 34.799992420752858) < 1e-8
         AS mbgnbd_mpmath,
       abs(clv_estimate(pareto, spend, 26, 30.86, 31, 30, 12, 0.01, 4) - 676.45746541843189) < 1e-7
         AS pareto_mpmath,
       abs(clv_estimate(heavy, spend, 221, 60, 62, 30, 12, 0.01, 4) / 2010.7897891486558 - 1) < 1e-10
         AS heavy_mpmath,
       abs(clv_estimate(bgbb, spend, 3, 5, 6, 50, 5, 0.1, 2) - 119.79513150037828) < 1e-9 AS bgbb_mpmath,
       abs(clv_estimate(bgbb, spend, 0, 0, 6, 0, 3, 0.05) - 1.4772336117567986) < 1e-12 AS bgbb_x0_mpmath
  FROM models;
-- 1,000 customers, BG/NBD, MBG/NBD and Pareto/NBD, then BG/BB: clv_estimate equals the plain-SQL sum over
-- periods.
SELECT count(*) AS customers_checked,
       max(abs(clv_estimate(bgnbd, spend, frequency, recency, t, monetary, 6, 0.02, 3) - bg_sum) / bg_sum) < 1e-10
         AS bgnbd_matches,
       max(abs(clv_estimate(mbgnbd, spend, frequency, recency, t, monetary, 6, 0.02, 3) - mbg_sum) / mbg_sum)
         < 1e-10 AS mbgnbd_matches,
       max(abs(clv_estimate(pareto, spend, frequency, recency, t, monetary, 6, 0.02, 3) - pnbd_sum) / pnbd_sum)
         < 1e-10 AS pareto_matches
  FROM (SELECT h.*, m.*, 5.0 + h.id % 50 AS monetary,
               (SELECT sum(expected_spend(m.spend, h.frequency, 5.0 + h.id % 50)
                           * (expected_purchases(m.bgnbd, h.frequency, h.recency, h.t, 3 * i)
                              - expected_purchases(m.bgnbd, h.frequency, h.recency, h.t, 3 * (i - 1))) / 1.02 ^ i)
                  FROM generate_series(1, 6) AS i) AS bg_sum,
               (SELECT sum(expected_spend(m.spend, h.frequency, 5.0 + h.id % 50)
                           * (expected_purchases(m.mbgnbd, h.frequency, h.recency, h.t, 3 * i)
                              - expected_purchases(m.mbgnbd, h.frequency, h.recency, h.t, 3 * (i - 1))) / 1.02 ^ i)
                  FROM generate_series(1, 6) AS i) AS mbg_sum,
               (SELECT sum(expected_spend(m.spend, h.frequency, 5.0 + h.id % 50)
                           * (expected_purchases(m.pareto, h.frequency, h.recency, h.t, 3 * i)
                              - expected_purchases(m.pareto, h.frequency, h.recency, h.t, 3 * (i - 1))) / 1.02 ^ i)
                  FROM generate_series(1, 6) AS i) AS pnbd_sum
          FROM histories h, models m) AS c;
SELECT count(*) AS bgbb_customers_checked,
       max(abs(clv_estimate(bgbb, spend, x, x + 1, 8, 30, 4, 0.05, 2) - plain_sql) / plain_sql) < 1e-12
         AS bgbb_matches
  FROM (SELECT x, m.*,
               (SELECT sum(expected_spend(m.spend, x, 30)
                           * (expected_purchases(m.bgbb, x, x + 1, 8, 2 * i)
                              - expected_purchases(m.bgbb, x, x + 1, 8, 2 * (i - 1))) / 1.05 ^ i)
                  FROM generate_series(1, 4) AS i) AS plain_sql
          FROM generate_series(1, 7) AS x, models m) AS c;
-- NULLs give NULL; bad horizon, discount, period length or monetary value are 22023.
SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, NULL, 12, 0.01, 4) IS NULL AS null_monetary,
       clv_estimate(bgnbd, NULL::gamma_gamma_model, 2, 30.43, 38.86, 22.35, 12, 0.01) IS NULL AS null_model
  FROM models;
SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, -1, 0.01, 4) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 12, -0.01, 4) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, 22.35, 12, 0.01, 0) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(bgnbd, spend, 2, 30.43, 38.86, -22.35, 12, 0.01, 4) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(bgnbd, spend, 2, 40, 38.86, 22.35, 12, 0.01, 4) FROM models;
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(bgbb, spend, 3, 5, 6, 50, 5, 0.1, 1.5) FROM models;
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------------------------------------------
-- Window forms: the named model (here BG/NBD, model => 'bgnbd'; + Gamma-Gamma for clv_estimate) fitted once on
-- each partition, every row scored. Without a model argument they fit the default, Pareto/NBD (below).
-- ---------------------------------------------------------------------------------------------------------------
-- Customers simulated from known parameters: north r = 1, alpha = 5, a = 1, b = 3; south r = 1, alpha = 2, a = 1,
-- b = 6 (r = 1 and a = 1 make the draws closed-form: lambda = -ln U / alpha, p = 1 - U^(1/b)). Repeat purchases
-- come as a Poisson process of rate lambda; after each one the customer leaves with probability p. Spend: each
-- transaction Gamma(2, nu), nu ~ Gamma(3, rate 30), so the mean of x of them is Gamma(2x, rate x nu).
SELECT setseed(0.17);
CREATE TEMP TABLE sim_customers AS
SELECT row_number() OVER () AS id, segment, -ln(1 - random()) / alpha AS lambda,
       1 - (1 - random()) ^ (1.0 / b) AS p, 20 + 32 * random() AS t,
       (-ln(1 - random()) - ln(1 - random()) - ln(1 - random())) / 30 AS nu
  FROM (VALUES ('north', 5.0, 3.0), ('south', 2.0, 6.0)) AS s(segment, alpha, b), generate_series(1, 2000) AS i;
CREATE TEMP TABLE sim_summary AS
WITH RECURSIVE purchase(id, n, at) AS (
  SELECT id, 0, 0.0::double precision FROM sim_customers
  UNION ALL
  SELECT p.id, p.n + 1, p.at - ln(1 - random()) / c.lambda
    FROM purchase p JOIN sim_customers c USING (id)
   WHERE p.at <= c.t AND (p.n = 0 OR random() >= c.p)
)
SELECT c.id, c.segment, s.x::double precision AS frequency, s.t_x AS recency, c.t,
       CASE WHEN s.x = 0 THEN 0
            ELSE (SELECT -sum(ln(1 - random())) FROM generate_series(1, 2 * s.x)) / (s.x * c.nu) END AS monetary
  FROM sim_customers c
  JOIN (SELECT p.id, count(*) FILTER (WHERE p.n > 0 AND p.at <= c.t) AS x,
               coalesce(max(p.at) FILTER (WHERE p.n > 0 AND p.at <= c.t), 0) AS t_x
          FROM purchase p JOIN sim_customers c USING (id) GROUP BY p.id) AS s USING (id);
-- Four probe customers in the north (ids -1..-4) whose scores reveal the fitted parameters exactly below.
INSERT INTO sim_summary VALUES (-1, 'north', 1, 30, 30, 10), (-2, 'north', 2, 30, 30, 10),
                               (-3, 'north', 1, 0, 10, 40), (-4, 'north', 1, 0, 40, 25);
SELECT segment, count(*) AS customers, round(avg(frequency)::numeric, 3) AS mean_frequency,
       count(*) FILTER (WHERE frequency > 0) AS repeat_customers
  FROM sim_summary GROUP BY segment ORDER BY segment;

CREATE TEMP TABLE scored AS
SELECT id, segment, frequency, recency, t, monetary,
       p_alive(frequency, recency, t, 'bgnbd') OVER w AS p_alive,
       churn_probability(frequency, recency, t, 'bgnbd') OVER w AS churn,
       clv_estimate(frequency, recency, t, monetary, CASE WHEN id < 0 THEN 1 ELSE 6 END,
                    CASE WHEN id < 0 THEN 0 ELSE 0.01 END, CASE WHEN id < 0 THEN 1 ELSE 4 END, 'bgnbd') OVER w AS clv
  FROM sim_summary WINDOW w AS (PARTITION BY segment);

-- Each partition's scores come from its own fit: they are close to P(alive) under the segment's true model
-- (sampling error only), and much closer to it than to the other segment's model.
SELECT s.segment, round(avg(abs(s.p_alive - p_alive(own, frequency, recency, t)))::numeric, 3) AS gap_to_own_model,
       round(avg(abs(s.p_alive - p_alive(other, frequency, recency, t)))::numeric, 3) AS gap_to_other_model,
       avg(abs(s.p_alive - p_alive(own, frequency, recency, t)))
         < avg(abs(s.p_alive - p_alive(other, frequency, recency, t))) / 3 AS own_model_fits_best
  FROM scored s,
       LATERAL (SELECT CASE WHEN s.segment = 'north' THEN ROW(1, 5, 1, 3, NULL, NULL, NULL, NULL)::bgnbd_model
                            ELSE ROW(1, 2, 1, 6, NULL, NULL, NULL, NULL)::bgnbd_model END AS own,
                       CASE WHEN s.segment = 'north' THEN ROW(1, 2, 1, 6, NULL, NULL, NULL, NULL)::bgnbd_model
                            ELSE ROW(1, 5, 1, 3, NULL, NULL, NULL, NULL)::bgnbd_model END AS other) AS m
 WHERE s.id > 0 GROUP BY s.segment ORDER BY s.segment;

-- The window scores are the scalar functions applied with ONE model fitted on the partition. The north's fitted
-- parameters are recovered from the probe scores in closed form: x = 1 and 2 with recency = t give
-- P1 = b/(a+b), P2 = (b+1)/(a+b+1); x = 1, recency 0, t = 10 and 40 give ln(1/P - 1) - ln(a/b) =
-- (r+1) ln(1 + t/alpha), whose ratio fixes alpha (bisection) and then r. The Gamma-Gamma model is recovered up
-- to the scale the expected spend does not depend on (E[M | x, m] = w m + (1-w) mean, w = p x/(p x + q - 1)):
-- from the probes' one-period, undiscounted CLV = E[M] E[X(t, t+1)] at x = 1 and m = 10 and 40, with p = 1.
-- (The recovered BG/NBD parameters are near the true (1, 5, 1, 3): the fit is a maximum-likelihood fit.)
CREATE TEMP TABLE recovered AS
WITH RECURSIVE probe AS (
  SELECT max(p_alive) FILTER (WHERE id = -1) AS p1, max(p_alive) FILTER (WHERE id = -2) AS p2,
         max(p_alive) FILTER (WHERE id = -3) AS p3, max(p_alive) FILTER (WHERE id = -4) AS p4
    FROM scored WHERE segment = 'north'),
beta AS (SELECT *, p1 * (1 - p2) / (p2 - p1) AS b FROM probe),
ab AS (SELECT *, b * (1 - p1) / p1 AS a FROM beta),
u AS (SELECT *, ln(1 / p3 - 1) - ln(a / b) AS u3, ln(1 / p4 - 1) - ln(a / b) AS u4 FROM ab),
bisect(i, lo, hi) AS (
  SELECT 0, -20.0::double precision, 20.0::double precision
  UNION ALL
  SELECT i + 1, CASE WHEN above THEN mid ELSE lo END, CASE WHEN above THEN hi ELSE mid END
    FROM bisect, u, LATERAL (SELECT (lo + hi) / 2 AS mid) AS m,
         LATERAL (SELECT ln(1 + 10 / exp(mid)) / ln(1 + 40 / exp(mid)) > u3 / u4 AS above) AS c
   WHERE i < 200),
alpha_fit AS (SELECT exp((lo + hi) / 2) AS alpha FROM bisect WHERE i = 200),
bg AS (SELECT ROW(u3 / ln(1 + 10 / alpha) - 1, alpha, a, b, NULL, NULL, NULL, NULL)::bgnbd_model AS model
         FROM u, alpha_fit),
spend AS (
  SELECT max(s.clv / expected_purchases(bg.model, s.frequency, s.recency, s.t, 1)) FILTER (WHERE id = -1) AS e10,
         max(s.clv / expected_purchases(bg.model, s.frequency, s.recency, s.t, 1)) FILTER (WHERE id = -3) AS e40
    FROM scored s, bg WHERE s.segment = 'north'),
gg AS (SELECT (e40 - e10) / 30 AS w, e10 FROM spend)
SELECT bg.model AS bgnbd,
       ROW(1, 1 + (1 - w) / w, (e10 - 10 * w) / (1 - w) * (1 - w) / w, NULL, NULL, NULL, NULL)::gamma_gamma_model
         AS spend
  FROM bg, gg;
SELECT round((bgnbd).r::numeric, 2) AS r, round((bgnbd).alpha::numeric, 2) AS alpha,
       round((bgnbd).a::numeric, 2) AS a, round((bgnbd).b::numeric, 2) AS b
  FROM recovered;
SELECT count(*) AS north_rows,
       max(abs(s.p_alive - p_alive(r.bgnbd, s.frequency, s.recency, s.t))) < 1e-9 AS p_alive_is_scalar,
       max(abs(s.churn - churn_probability(r.bgnbd, s.frequency, s.recency, s.t))) < 1e-9 AS churn_is_scalar,
       max(abs(s.clv - clv_estimate(r.bgnbd, r.spend, s.frequency, s.recency, s.t, s.monetary,
                                    CASE WHEN id < 0 THEN 1 ELSE 6 END, CASE WHEN id < 0 THEN 0 ELSE 0.01 END,
                                    CASE WHEN id < 0 THEN 1 ELSE 4 END)) / s.clv) < 1e-8 AS clv_is_scalar,
       bool_and(s.churn = 1 - s.p_alive) AS churn_is_one_minus_p_alive
  FROM scored s, recovered r WHERE s.segment = 'north';

-- NULL rows get NULL and take no part in the fit; the ORDER BY and frame of the window do not matter. (A NULL
-- row may change the order in which the other rows reach the fit, and so the optimiser's path in the last bits:
-- agreement to 1e-6.) Row -6 has a NULL monetary value only: it takes part in the p_alive fit, not in clv's.
INSERT INTO sim_summary VALUES (-5, 'north', NULL, 3, 10, 5), (-6, 'north', 2, 3, 10, NULL),
                               (-7, 'south', 1, NULL, 10, 5);
SELECT w.segment, count(*) FILTER (WHERE w.p_alive IS NULL) AS null_p_alive,
       max(abs(w.p_alive - s.p_alive)) < 1e-6 AS nulls_do_not_change_the_fit,
       max(abs(w.p_alive_ordered - s.p_alive)) < 1e-6 AS order_does_not_matter
  FROM (SELECT id, segment,
               p_alive(frequency, recency, t, 'bgnbd') OVER (PARTITION BY segment) AS p_alive,
               p_alive(frequency, recency, t, 'bgnbd') OVER (PARTITION BY segment ORDER BY id DESC
                                                    ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS p_alive_ordered
          FROM sim_summary WHERE id <> -6) AS w
  LEFT JOIN scored s USING (id)
 GROUP BY w.segment ORDER BY w.segment;
SELECT w.segment, count(*) FILTER (WHERE w.clv IS NULL) AS null_clv,
       max(abs(w.clv - s.clv) / s.clv) < 1e-6 AS nulls_do_not_change_clv
  FROM (SELECT id, segment,
               clv_estimate(frequency, recency, t, monetary, CASE WHEN id < 0 THEN 1 ELSE 6 END,
                            CASE WHEN id < 0 THEN 0 ELSE 0.01 END, CASE WHEN id < 0 THEN 1 ELSE 4 END, 'bgnbd')
                 OVER (PARTITION BY segment) AS clv
          FROM sim_summary) AS w
  LEFT JOIN scored s USING (id)
 GROUP BY w.segment ORDER BY w.segment;
SELECT max(abs(a.p_alive - s.p_alive)) < 1e-6 AS partition_scores_alone
  FROM (SELECT id, p_alive(frequency, recency, t, 'bgnbd') OVER () AS p_alive FROM sim_summary WHERE segment = 'south') AS a
  JOIN scored s USING (id);
-- The six-argument clv_estimate window uses one time unit a period.
SELECT bool_and(a = b) AS default_period_is_one_unit
  FROM (SELECT clv_estimate(frequency, recency, t, monetary, 6, 0.01) OVER () AS a,
               clv_estimate(frequency, recency, t, monetary, 6, 0.01, 1) OVER () AS b
          FROM sim_summary WHERE segment = 'south' AND id > 0) AS c;

-- A partition of NULL rows only scores NULL; no rows, no scores.
SELECT p_alive(f, r, t) OVER () IS NULL AS all_null, clv_estimate(f, r, t, 1, 1, 0) OVER () IS NULL AS clv_null
  FROM (VALUES (NULL::float8, 1::float8, 2::float8), (1, NULL, 2)) AS v(f, r, t);
SELECT count(*) AS no_rows
  FROM (SELECT p_alive(frequency, recency, t) OVER () FROM sim_summary WHERE false) AS w;
-- A fit that does not converge (three customers: the parameters run away) is reported by a WARNING.
SELECT f, round(p_alive(f, r, t, 'bgnbd') OVER ()::numeric, 6) AS p_alive
  FROM (VALUES (1, 5, 10), (0, 0, 20), (3, 25, 30)) AS v(f, r, t);
-- Bad rows stop the statement (22023 naming the values and the row's position in the partition); clv_estimate
-- needs a repeat customer to fit the spend.
SELECT p_alive(f, r, t) OVER () FROM (VALUES (1, 5, 10), (2, 12, 10)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(f, 0, t, 0, 12, 0.01, 4) OVER () FROM (VALUES (0, 10), (0, 20)) AS v(f, t);
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(f, r, t, m, 12, 0.01, 4) OVER () FROM (VALUES (1, 5, 10, 20), (2, 8, 10, -1)) AS v(f, r, t, m);
\echo :LAST_ERROR_SQLSTATE
SELECT clv_estimate(frequency, recency, t, monetary, 12, -0.01, 4) OVER () FROM sim_summary WHERE segment = 'south';
\echo :LAST_ERROR_SQLSTATE
