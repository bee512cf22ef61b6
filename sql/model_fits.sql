-- Model fits (bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit), the log-likelihood
-- aggregates and the simulators: values against an independent plain-SQL likelihood, parameter recovery on
-- simulated customers, parallel plans, windows, NULLs, empty input, errors with their SQLSTATE, cancellation.
-- The CDNOW and donations oracles are in model_fits_cdnow.sql.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS loyalty;
RESET client_min_messages;
SET extra_float_digits = 0;

-- ---------------------------------------------------------------------------------------------------------------
-- Simulators: deterministic, shaped as documented.
-- ---------------------------------------------------------------------------------------------------------------
SELECT count(*) AS customers, min(customer_id), max(customer_id),
       bool_and(frequency = floor(frequency) AND frequency >= 0) AS whole_frequencies,
       bool_and(recency BETWEEN 0 AND t AND (frequency > 0 OR recency = 0)) AS valid_recency,
       bool_and(t = 39) AS same_t, bool_and(monetary IS NULL) AS no_spend
  FROM bgnbd_simulate(0.243, 4.414, 0.793, 2.426, 39, 1000, 1);
SELECT (SELECT array_agg(s ORDER BY customer_id) FROM bgnbd_simulate(0.243, 4.414, 0.793, 2.426, 39, 50, 9) s)
     = (SELECT array_agg(s ORDER BY customer_id) FROM bgnbd_simulate(0.243, 4.414, 0.793, 2.426, 39, 50, 9) s)
       AS same_seed_same_customers;
-- With spend: monetary > 0 exactly for repeat buyers, 0 otherwise (the lifetimes convention).
SELECT bool_and((frequency > 0) = (monetary > 0)) AS spend_for_repeat_buyers, bool_and(monetary >= 0) AS non_negative
  FROM pareto_nbd_simulate(0.553, 10.578, 0.606, 11.669, 39, 1000, 2, 6.25, 3.74, 15.44);
SELECT bool_and(n_periods = 6 AND frequency <= recency AND recency <= n_periods) AS valid_bgbb_rows
  FROM bgbb_simulate(1.204, 0.750, 0.657, 2.783, 6, 1000, 3);
SELECT count(*) AS no_customers FROM mbgnbd_simulate(0.5, 6, 0.9, 1.6, 39, 0, 1);
SELECT * FROM bgnbd_simulate(1, 1, 1, 1, 10, -1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM bgnbd_simulate(1, 1, 1, 1, 10, 10000001, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM bgnbd_simulate(-1, 1, 1, 1, 10, 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM bgbb_simulate(1, 1, 1, 1, 0, 10, 1);
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------------------------------------------
-- The log-likelihood aggregate against an independent plain-SQL BG/NBD likelihood. For integer x,
-- Gamma(r+x)/Gamma(r) = prod_{k<x} (r+k) and B(a, b+x)/B(a, b) = prod_{k<x} (b+k)/(a+b+k), so Fader, Hardie &
-- Lee (2005) (the likelihood of their Excel note, ln A1 + ln A2 + ln(A3 + [x>0] A4)) needs no lgamma:
--   L = prod(r+k) alpha^r prod((b+k)/(a+b+k)) [ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ].
-- MBG/NBD (Batislam et al. 2007, lifetimes' form), with the products up to k = x:
--   L = prod_{k<x}(r+k) alpha^r prod_{k<=x}((b+k)/(a+b+k)) (alpha+T)^-(r+x) [1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)].
-- ---------------------------------------------------------------------------------------------------------------
CREATE FUNCTION plain_bgnbd_ll(x float8, tx float8, tt float8, r float8, alpha float8, a float8, b float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(sum(ln(r + k) + ln((b + k) / (a + b + k))), 0) + r * ln(alpha)
         + ln(power(alpha + tt, -(r + x))
              + CASE WHEN x > 0 THEN a / (b + x - 1) * power(alpha + tx, -(r + x)) ELSE 0 END)
    FROM generate_series(0, x::int - 1) AS k
$$;
CREATE FUNCTION plain_mbgnbd_ll(x float8, tx float8, tt float8, r float8, alpha float8, a float8, b float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce((SELECT sum(ln(r + k)) FROM generate_series(0, x::int - 1) AS k), 0) + r * ln(alpha)
         + (SELECT sum(ln((b + k) / (a + b + k))) FROM generate_series(0, x::int) AS k)
         - (r + x) * ln(alpha + tt) + ln(1 + a / (b + x) * power((alpha + tt) / (alpha + tx), r + x))
$$;

-- About 2,000 customers in three cohorts (t = 13, 26 and 39 weeks).
CREATE TABLE small AS
SELECT c.cohort, s.* FROM (VALUES (13, 11), (26, 12), (39, 13)) AS c(cohort, seed),
       LATERAL bgnbd_simulate(0.243, 4.414, 0.793, 2.426, c.cohort, 700 - c.cohort, c.seed) AS s;
SELECT count(*) AS customers, max(frequency) AS max_frequency FROM small;

SELECT round(l.log_likelihood::numeric, 6) AS aggregate_ll, round(p.ll::numeric, 6) AS plain_sql_ll, l.customers
  FROM (SELECT (bgnbd_log_likelihood(frequency, recency, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)).*
          FROM small) AS l,
       (SELECT sum(plain_bgnbd_ll(frequency, recency, t, 0.3, 5, 0.8, 2.5)) AS ll FROM small) AS p;
SELECT round(l.log_likelihood::numeric, 6) AS aggregate_ll, round(p.ll::numeric, 6) AS plain_sql_ll
  FROM (SELECT (mbgnbd_log_likelihood(frequency, recency, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::mbgnbd_model)).*
          FROM small) AS l,
       (SELECT sum(plain_mbgnbd_ll(frequency, recency, t, 0.3, 5, 0.8, 2.5)) AS ll FROM small) AS p;

-- The gradient against central differences of the plain-SQL likelihood (step 1e-5 of each parameter).
WITH base AS (SELECT ARRAY[0.3, 5, 0.8, 2.5]::float8[] AS p),
     shifted AS (
       SELECT i, sign, array_agg(CASE WHEN j = i THEN p[j] * (1 + sign * 1e-5) ELSE p[j] END ORDER BY j) AS q
         FROM base, generate_series(1, 4) AS i, (VALUES (-1), (1)) AS s(sign), generate_series(1, 4) AS j
        GROUP BY i, sign),
     numeric_gradient AS (
       SELECT i, sum(sign * plain_bgnbd_ll(frequency, recency, t, q[1], q[2], q[3], q[4])) / (2e-5 * (SELECT p[i] FROM base))
                 AS value
         FROM shifted, small GROUP BY i),
     analytic AS (
       SELECT (bgnbd_log_likelihood(frequency, recency, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)).gradient
         FROM small)
SELECT i, abs(gradient[i] - value) < 1e-4 * greatest(1, abs(value)) AS gradient_matches
  FROM numeric_gradient, analytic ORDER BY i;

-- The fit is a maximum: its log_likelihood is the plain-SQL likelihood at its parameters, and the gradient
-- per customer vanishes there.
WITH f AS (SELECT bgnbd_fit(frequency, recency, t) AS m FROM small)
SELECT (m).converged, (m).customers,
       abs((m).log_likelihood - (SELECT sum(plain_bgnbd_ll(frequency, recency, t, (m).r, (m).alpha, (m).a, (m).b))
                                  FROM small)) < 1e-6 AS ll_matches_plain_sql,
       (SELECT max(abs(g * p)) / (m).customers
          FROM unnest((SELECT (bgnbd_log_likelihood(frequency, recency, t, m)).gradient FROM small),
                      ARRAY[(m).r, (m).alpha, (m).a, (m).b]) AS u(g, p)) < 1e-5 AS stationary
  FROM f;
WITH f AS (SELECT mbgnbd_fit(frequency, recency, t) AS m FROM small)
SELECT (m).converged,
       abs((m).log_likelihood - (SELECT sum(plain_mbgnbd_ll(frequency, recency, t, (m).r, (m).alpha, (m).a, (m).b))
                                  FROM small)) < 1e-6 AS ll_matches_plain_sql
  FROM f;

-- Penalizer: penalizer 0 is the plain fit; a positive one shrinks the parameters, and the result is the
-- stationary point of lifetimes' objective -LL/N + penalizer * sum(params^2): for each parameter p,
-- p * (-dLL/dp / N + 2 penalizer p) = 0 (the derivative with respect to log p).
SELECT (SELECT bgnbd_fit(frequency, recency, t, 0) FROM small) = (SELECT bgnbd_fit(frequency, recency, t) FROM small)
       AS penalizer_zero_is_plain_fit;
WITH f AS (SELECT bgnbd_fit(frequency, recency, t, 0.05) AS m FROM small),
     plain AS (SELECT bgnbd_fit(frequency, recency, t) AS m FROM small)
SELECT (f.m).converged,
       (f.m).r ^ 2 + (f.m).alpha ^ 2 + (f.m).a ^ 2 + (f.m).b ^ 2
         < (plain.m).r ^ 2 + (plain.m).alpha ^ 2 + (plain.m).a ^ 2 + (plain.m).b ^ 2 AS shrunk,
       (SELECT max(abs(p * (-g / (f.m).customers + 2 * 0.05 * p)))
          FROM unnest((SELECT (bgnbd_log_likelihood(frequency, recency, t, f.m)).gradient FROM small),
                      ARRAY[(f.m).r, (f.m).alpha, (f.m).a, (f.m).b]) AS u(g, p)) < 1e-5 AS penalized_stationary
  FROM f, plain;

-- A fit without a maximum says so: customers who all buy at one rate and never leave (no heterogeneity, no
-- dropout) push r, alpha towards infinity and a towards 0.
SELECT (m).converged, (m).customers
  FROM (SELECT bgnbd_fit(x, CASE WHEN x = 0 THEN 0 ELSE t * 0.999 END, t) AS m
          FROM (SELECT floor(t / 3) AS x, t FROM (SELECT 10 + (i % 1003) / 10.0 AS t FROM generate_series(1, 1000) AS i) AS q) AS s) AS f;

-- ---------------------------------------------------------------------------------------------------------------
-- Parameter recovery: 100,000 customers simulated from known parameters (four cohorts), fitted. "Within sampling
-- error" is the likelihood-ratio test: 2 (LL(fit) - LL(truth)) < 18.47, the 0.999 quantile of chi-square with 4
-- degrees of freedom (16.27 for 3), LL(truth) computed by the log-likelihood aggregates.
-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE sim_bgnbd AS
SELECT s.* FROM (VALUES (13, 21), (26, 22), (39, 23), (52, 24)) AS c(t, seed),
       LATERAL bgnbd_simulate(0.243, 4.414, 0.793, 2.426, c.t, 25000, c.seed, 6.25, 3.74, 15.44) AS s;
CREATE TABLE sim_mbgnbd AS
SELECT s.* FROM (VALUES (13, 31), (26, 32), (39, 33), (52, 34)) AS c(t, seed),
       LATERAL mbgnbd_simulate(0.525, 6.183, 0.891, 1.614, c.t, 25000, c.seed) AS s;
CREATE TABLE sim_pareto AS
SELECT s.* FROM (VALUES (13, 41), (26, 42), (39, 43), (52, 44)) AS c(t, seed),
       LATERAL pareto_nbd_simulate(0.553, 10.578, 0.606, 11.669, c.t, 25000, c.seed) AS s;
CREATE TABLE sim_bgbb AS
SELECT s.* FROM (VALUES (4, 51), (6, 52), (8, 53), (10, 54)) AS c(n, seed),
       LATERAL bgbb_simulate(1.204, 0.750, 0.657, 2.783, c.n, 25000, c.seed) AS s;
ANALYZE sim_bgnbd; ANALYZE sim_mbgnbd; ANALYZE sim_pareto; ANALYZE sim_bgbb;

WITH f AS (SELECT bgnbd_fit(frequency, recency, t) AS m FROM sim_bgnbd),
     truth AS (SELECT (bgnbd_log_likelihood(frequency, recency, t,
                        ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL, NULL, NULL)::bgnbd_model)).log_likelihood AS ll
                 FROM sim_bgnbd)
SELECT 'bgnbd' AS model, (m).converged, (m).customers, round((m).r::numeric, 2) AS r, round((m).alpha::numeric, 1) AS alpha,
       round((m).a::numeric, 2) AS a, round((m).b::numeric, 1) AS b,
       2 * ((m).log_likelihood - ll) BETWEEN 0 AND 18.47 AS within_sampling_error
  FROM f, truth;
WITH f AS (SELECT mbgnbd_fit(frequency, recency, t) AS m FROM sim_mbgnbd),
     truth AS (SELECT (mbgnbd_log_likelihood(frequency, recency, t,
                        ROW(0.525, 6.183, 0.891, 1.614, NULL, NULL, NULL, NULL)::mbgnbd_model)).log_likelihood AS ll
                 FROM sim_mbgnbd)
SELECT 'mbgnbd' AS model, (m).converged, (m).customers, round((m).r::numeric, 2) AS r, round((m).alpha::numeric, 1) AS alpha,
       round((m).a::numeric, 2) AS a, round((m).b::numeric, 1) AS b,
       2 * ((m).log_likelihood - ll) BETWEEN 0 AND 18.47 AS within_sampling_error
  FROM f, truth;
WITH f AS (SELECT pareto_nbd_fit(frequency, recency, t) AS m FROM sim_pareto),
     truth AS (SELECT (pareto_nbd_log_likelihood(frequency, recency, t,
                        ROW(0.553, 10.578, 0.606, 11.669, NULL, NULL, NULL, NULL)::pareto_nbd_model)).log_likelihood AS ll
                 FROM sim_pareto)
SELECT 'pareto_nbd' AS model, (m).converged, (m).customers, round((m).r::numeric, 2) AS r,
       round((m).alpha::numeric, 1) AS alpha, round((m).s::numeric, 2) AS s, round((m).beta::numeric, 1) AS beta,
       2 * ((m).log_likelihood - ll) BETWEEN 0 AND 18.47 AS within_sampling_error
  FROM f, truth;
WITH f AS (SELECT bgbb_fit(frequency, recency, n_periods) AS m FROM sim_bgbb),
     truth AS (SELECT (bgbb_log_likelihood(frequency, recency, n_periods,
                        ROW(1.204, 0.750, 0.657, 2.783, NULL, NULL, NULL, NULL)::bgbb_model)).log_likelihood AS ll
                 FROM sim_bgbb)
SELECT 'bgbb' AS model, (m).converged, (m).customers, round((m).alpha::numeric, 2) AS alpha,
       round((m).beta::numeric, 2) AS beta, round((m).gamma::numeric, 2) AS gamma, round((m).delta::numeric, 2) AS delta,
       2 * ((m).log_likelihood - ll) BETWEEN 0 AND 18.47 AS within_sampling_error
  FROM f, truth;
-- Gamma-Gamma on the repeat buyers of the BG/NBD simulation (spend p = 6.25, q = 3.74, v = 15.44).
WITH f AS (SELECT gamma_gamma_fit(frequency, monetary) AS m FROM sim_bgnbd),
     truth AS (SELECT (gamma_gamma_log_likelihood(frequency, monetary,
                        ROW(6.25, 3.74, 15.44, NULL, NULL, NULL, NULL)::gamma_gamma_model)).* FROM sim_bgnbd)
SELECT 'gamma_gamma' AS model, (m).converged, (m).customers,
       (SELECT count(*) FROM sim_bgnbd WHERE frequency > 0) AS repeat_buyers, truth.customers AS ll_customers,
       round((m).p::numeric, 1) AS p, round((m).q::numeric, 1) AS q, round((m).v::numeric, 0) AS v,
       2 * ((m).log_likelihood - truth.log_likelihood) BETWEEN 0 AND 16.27 AS within_sampling_error
  FROM f, truth;

-- Pre-aggregated BG/BB rows (a count column) give the same fit as the rows themselves.
SELECT (SELECT bgbb_fit(frequency, recency, n_periods, n) FROM (
          SELECT frequency, recency, n_periods, count(*) AS n FROM sim_bgbb GROUP BY 1, 2, 3) AS g)
     = (SELECT bgbb_fit(frequency, recency, n_periods) FROM sim_bgbb) AS count_equals_rows,
       (SELECT bgbb_fit(frequency, recency, n_periods, n) FROM (
          SELECT frequency, recency, n_periods, count(*) AS n FROM sim_bgbb GROUP BY 1, 2, 3
          UNION ALL SELECT 1, 1, 6, 0) AS g)
     = (SELECT bgbb_fit(frequency, recency, n_periods) FROM sim_bgbb) AS zero_count_adds_nobody;

-- ---------------------------------------------------------------------------------------------------------------
-- GROUP BY and windows: a fit per group, once per partition in a window.
-- ---------------------------------------------------------------------------------------------------------------
SELECT cohort, (m).customers, (m).converged
  FROM (SELECT cohort, bgnbd_fit(frequency, recency, t) AS m FROM small GROUP BY cohort) AS g ORDER BY cohort;
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE w.m IS DISTINCT FROM g.m) AS mismatches
  FROM (SELECT cohort, bgnbd_fit(frequency, recency, t) OVER (PARTITION BY cohort) AS m FROM small) AS w
  JOIN (SELECT cohort, bgnbd_fit(frequency, recency, t) AS m FROM small GROUP BY cohort) AS g USING (cohort);

-- ---------------------------------------------------------------------------------------------------------------
-- Parallel plans: partial states (serialised, combined) give exactly the serial fit; the row order the fit sees
-- does not depend on the plan. The log-likelihood sums agree to rounding.
-- ---------------------------------------------------------------------------------------------------------------
CREATE TEMP TABLE serial AS
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM sim_bgnbd) AS bgnbd,
       (SELECT bgnbd_fit(frequency, recency, t, 0.01) FROM sim_bgnbd) AS bgnbd_penalized,
       (SELECT mbgnbd_fit(frequency, recency, t) FROM sim_mbgnbd) AS mbgnbd,
       (SELECT pareto_nbd_fit(frequency, recency, t) FROM sim_pareto) AS pareto_nbd,
       (SELECT bgbb_fit(frequency, recency, n_periods) FROM sim_bgbb) AS bgbb,
       (SELECT gamma_gamma_fit(frequency, monetary) FROM sim_bgnbd) AS gamma_gamma,
       (SELECT bgnbd_log_likelihood(frequency, recency, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)
          FROM sim_bgnbd) AS likelihood;
CREATE TEMP TABLE serial_by_t AS SELECT t, bgnbd_fit(frequency, recency, t) AS m FROM sim_bgnbd GROUP BY t;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(frequency, recency, t) FROM sim_bgnbd;
EXPLAIN (COSTS OFF) SELECT bgnbd_log_likelihood(frequency, recency, t, NULL::bgnbd_model) FROM sim_bgnbd;
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM sim_bgnbd) = bgnbd AS bgnbd_equal,
       (SELECT bgnbd_fit(frequency, recency, t, 0.01) FROM sim_bgnbd) = bgnbd_penalized AS penalized_equal,
       (SELECT mbgnbd_fit(frequency, recency, t) FROM sim_mbgnbd) = mbgnbd AS mbgnbd_equal,
       (SELECT pareto_nbd_fit(frequency, recency, t) FROM sim_pareto) = pareto_nbd AS pareto_nbd_equal,
       (SELECT bgbb_fit(frequency, recency, n_periods) FROM sim_bgbb) = bgbb AS bgbb_equal,
       (SELECT gamma_gamma_fit(frequency, monetary) FROM sim_bgnbd) = gamma_gamma AS gamma_gamma_equal
  FROM serial;
-- Grouped: a partial aggregate per group in each worker.
EXPLAIN (COSTS OFF) SELECT t, bgnbd_fit(frequency, recency, t) FROM sim_bgnbd GROUP BY t;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.m IS DISTINCT FROM s.m) AS mismatches
  FROM (SELECT t, bgnbd_fit(frequency, recency, t) AS m FROM sim_bgnbd GROUP BY t) AS p JOIN serial_by_t AS s USING (t);
SELECT abs((p).log_likelihood - (likelihood).log_likelihood) < 1e-9 * abs((likelihood).log_likelihood) AS ll_equal,
       (SELECT bool_and(abs(a - b) < 1e-9 * greatest(1, abs(b)))
          FROM unnest((p).gradient, (likelihood).gradient) AS u(a, b)) AS gradient_equal,
       (p).customers = (likelihood).customers AS customers_equal
  FROM serial,
       LATERAL (SELECT bgnbd_log_likelihood(frequency, recency, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model) AS p
                  FROM sim_bgnbd) AS q;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------------------------------------------------------
-- NULLs are ignored; no rows give NULL.
-- ---------------------------------------------------------------------------------------------------------------
SELECT (SELECT bgnbd_fit(frequency, recency, t) FROM small)
     = (SELECT bgnbd_fit(frequency, recency, t) FROM (
          SELECT frequency, recency, t FROM small
          UNION ALL VALUES (NULL, 1, 2), (1, NULL, 2), (1, 1, NULL)) AS s) AS null_rows_ignored;
SELECT bgnbd_fit(frequency, recency, t) IS NULL AS empty, pareto_nbd_fit(frequency, recency, t) IS NULL AS empty_pareto,
       mbgnbd_fit(frequency, recency, t) IS NULL AS empty_mbgnbd, bgbb_fit(frequency, recency, t) IS NULL AS empty_bgbb,
       gamma_gamma_fit(frequency, monetary) IS NULL AS empty_gamma_gamma,
       bgnbd_log_likelihood(frequency, recency, t, NULL::bgnbd_model) IS NULL AS empty_likelihood
  FROM sim_bgnbd WHERE false;
SELECT bgnbd_fit(f, r, t) IS NULL AS only_nulls FROM (VALUES (NULL::float8, NULL::float8, NULL::float8)) AS v(f, r, t);
SELECT bgnbd_fit(f, r, t, p) IS NULL AS null_penalizer_rows_ignored FROM (VALUES (1, 1, 2, NULL::float8)) AS v(f, r, t, p);
SELECT bgbb_fit(f, r, n, c) IS NULL AS zero_counts_only FROM (VALUES (1, 1, 6, 0)) AS v(f, r, n, c);
-- Gamma-Gamma skips customers without repeat purchases; with none left the fit is NULL.
SELECT gamma_gamma_fit(f, m) IS NULL AS no_repeat_buyers FROM (VALUES (0, 0), (0, 12.5)) AS v(f, m);
SELECT (gamma_gamma_fit(frequency, monetary)).customers AS repeat_buyers_fitted FROM sim_bgnbd;

-- ---------------------------------------------------------------------------------------------------------------
-- Bad input: 22023 naming the values.
-- ---------------------------------------------------------------------------------------------------------------
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1, 1, 2), (-1, 0, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1.5, 1, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT pareto_nbd_fit(f, r, t) FROM (VALUES (1, 3, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT mbgnbd_fit(f, r, t) FROM (VALUES (1, -0.5, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t) FROM (VALUES (0, 1, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t) FROM (VALUES (0, 0, 0)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1, 'NaN'::float8, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t) FROM (VALUES (1, 1, 'Infinity'::float8)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t, -0.1) FROM (VALUES (1, 1, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_fit(f, r, t, p) FROM (VALUES (1, 1, 2, 0.1), (1, 1, 3, 0.2)) AS v(f, r, t, p);
\echo :LAST_ERROR_SQLSTATE
SELECT bgbb_fit(f, r, n) FROM (VALUES (2, 1, 6)) AS v(f, r, n);
\echo :LAST_ERROR_SQLSTATE
SELECT bgbb_fit(f, r, n) FROM (VALUES (1, 7, 6)) AS v(f, r, n);
\echo :LAST_ERROR_SQLSTATE
SELECT bgbb_fit(f, r, n, c) FROM (VALUES (1, 1, 6, -3)) AS v(f, r, n, c);
\echo :LAST_ERROR_SQLSTATE
SELECT bgbb_fit(f, r, n, c) FROM (VALUES (1, 1, 6, 2.5)) AS v(f, r, n, c);
\echo :LAST_ERROR_SQLSTATE
SELECT gamma_gamma_fit(f, m) FROM (VALUES (2, 0)) AS v(f, m);
\echo :LAST_ERROR_SQLSTATE
SELECT gamma_gamma_fit(f, m) FROM (VALUES (-1, 10)) AS v(f, m);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_log_likelihood(f, r, t, ROW(0.3, -5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)
  FROM (VALUES (1, 1, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_log_likelihood(f, r, t, ROW(a, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)
  FROM (VALUES (1, 1, 2, 0.3), (1, 1, 2, 0.4)) AS v(f, r, t, a);
\echo :LAST_ERROR_SQLSTATE
SELECT bgnbd_log_likelihood(f, r, t, ROW(0.3, 5, 0.8, 2.5, NULL, NULL, NULL, NULL)::bgnbd_model)
  FROM (VALUES (1, 3, 2)) AS v(f, r, t);
\echo :LAST_ERROR_SQLSTATE
-- A malformed log-likelihood state handed to a support function directly is refused, never trusted.
SELECT model_likelihood_final('{1,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_likelihood_final('{9,1,0,0,0,0,0,NaN,NaN,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_likelihood_final('{1,-1,0,0,0,0,0,NaN,NaN,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_likelihood_final('{1,1,0,0,0,0,0,-1,NaN,NaN,NaN}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_likelihood_combine('{1,1,-2,0,0,0,0,1,1,1,1}', '{1,1,-2,0,0,0,0,2,1,1,1}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_likelihood_combine('{1,1,-2,0,0,0,0,1,1,1,1}', '{2,1,-2,0,0,0,0,1,1,1,1}');
\echo :LAST_ERROR_SQLSTATE
-- Called directly, the support functions work on float8[] states (a distributed engine's partial results).
SELECT (model_likelihood_final(model_likelihood_combine('{1,1,-2,0.5,0,0,0,1,1,1,1}', '{1,2,-3,0.25,1,0,0,1,1,1,1}'))).*;
SELECT bgnbd_likelihood_accum(s, 0, 0, 10, ROW(1, 1, 1, 1, NULL, NULL, NULL, NULL)::bgnbd_model) AS accumulated, s AS unchanged
  FROM (VALUES ('{1,0,0,0,0,0,0,NaN,NaN,NaN,NaN}'::float8[])) AS v(s);

-- ---------------------------------------------------------------------------------------------------------------
-- Cancellation: statement_timeout stops a fit inside the optimiser. The rows below are read in well under the
-- timeout (the count shows it); their fit needs seconds, and is cancelled with 57014.
-- ---------------------------------------------------------------------------------------------------------------
CREATE TEMP VIEW slow_fit_rows AS
SELECT (i % 7)::float8 AS x, CASE WHEN i % 7 = 0 THEN 0 ELSE 10 + (i % 100003) / 1000.0 END AS tx,
       10 + (i % 100003) / 1000.0 AS t
  FROM generate_series(1, 1000000) AS i;
SET statement_timeout = '500ms';
SELECT count(*) FROM slow_fit_rows;
SELECT bgnbd_fit(x, tx, t) FROM slow_fit_rows;
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
