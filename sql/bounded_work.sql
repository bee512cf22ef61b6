-- Bounded work on any input (issue 10): the inputs that used to hang a backend, return NaN or Infinity, or
-- run for minutes, each under a statement_timeout far above its goal (a scalar call: 10 ms; a fit of 100,000
-- customers: 2 s), so that a regression shows as an error in the diff. docs/model_fitting.md and
-- docs/predictions_and_clv.md state the goals.
SET extra_float_digits = 0;
CREATE TEMP TABLE models AS
SELECT ROW(1.204, 0.750, 0.657, 2.783, 0, 100, true, 10)::bgbb_model AS bgbb,
       ROW(0.243, 4.414, 0.793, 2.426, 0, 100, true, 10)::bgnbd_model AS bgnbd,
       ROW(0.553, 10.578, 0.606, 11.669, 0, 100, true, 10)::pareto_nbd_model AS pareto,
       ROW(6.25, 3.74, 15.44, 0, 100, true, 10)::gamma_gamma_model AS spend;

-- ---------------------------------------------------------------------------------------------------------------
-- BG/BB over astronomically many opportunities: these ran for more than 15 minutes and ignored cancels. The
-- sums over opportunities now take at most a few thousand exact terms and an Euler-Maclaurin tail.
-- ---------------------------------------------------------------------------------------------------------------
SET statement_timeout = '2s';
SELECT n, round(probability_of_purchases(bgbb, n, 2)::numeric, 8) AS p2,
       to_char(p_alive(bgbb, 2, 3, n), '9.999999EEEE') AS p_alive
  FROM models, (VALUES (10::float8), (1e4), (1e6), (1e15), (4611686018427387904), (1e308)) AS v(n);
SELECT n, to_char(expected_purchases(bgbb, 2, 3, n, 4), '9.999999EEEE') AS conditional,
       to_char(expected_purchases(bgbb, 2, 3, 4, n), '9.999999EEEE') AS over_n_opportunities,
       to_char(expected_purchases_unconditional(bgbb, n), '9.999999EEEE') AS unconditional
  FROM models, (VALUES (1e4::float8), (1e15), (4611686018427387904), (1e308)) AS v(n);
-- The sum over a long horizon equals the exact sum (the tail's relative error is below 1e-12).
-- A history of 1e308 opportunities in a CLV: finite (P(alive) underflows to 0, so the value is 0).
SELECT clv_estimate(bgbb, spend, 2, 3, 1e308, 40, 10, 0.1) AS clv_long_history FROM models;
SELECT round(clv_estimate(bgbb, spend, 2, 3, 6, 40, 10, 0.1)::numeric, 6) AS clv_short_history FROM models;

-- ---------------------------------------------------------------------------------------------------------------
-- Extreme but valid parameters and arguments: a finite value, or 22003 naming them (never NaN or Infinity).
-- ---------------------------------------------------------------------------------------------------------------
\set VERBOSITY terse
SELECT p_alive(ROW(0.553, 10.578, 1e308, 11.669, 0, 100, true, 10)::pareto_nbd_model, 1e308, 30, 60);
SELECT expected_spend(spend, 1e308, 10) FROM models;
SELECT expected_spend(ROW(6.25, 3.74, 1e308, 0, 100, true, 10)::gamma_gamma_model, 2, 10);
SELECT round(sbg_survival(ROW(1e308, 3.806, 0, 100, true, 10)::sbg_model, 3)::numeric, 6) AS survival,
       round(sbg_churn_probability(ROW(0.668, 1e308, 0, 100, true, 10)::sbg_model, 3)::numeric, 6) AS churn;
SELECT sbg_discounted_expected_residual_lifetime(ROW(0.704, 1.182, 0, 100, true, 10)::sbg_model, 1, 0);
SELECT probability_of_purchases(ROW(1e308, 0.750, 0.657, 2.783, 0, 100, true, 10)::bgbb_model, 10, 2);
SELECT round(probability_of_purchases(ROW(1.204, 0.750, 1e308, 2.783, 0, 100, true, 10)::bgbb_model, 10, 0)::numeric, 6)
         AS gamma_1e308;

-- ---------------------------------------------------------------------------------------------------------------
-- Fits never return a non-finite model: a row that overflows the likelihood is 22003 naming it; more than
-- 2^53 customers is 22003 (it used to come back as customers = -9223372036854775808).
-- ---------------------------------------------------------------------------------------------------------------
-- t = 1e308 next to t = 10: finite estimates, not converged (the likelihood stays finite here).
SELECT (m).converged, (m).customers, to_char((m).alpha, '9.99EEEE') AS alpha, round((m).log_likelihood::numeric, 2) AS ll
  FROM (SELECT bgnbd_fit(x, tx, t) AS m FROM (VALUES (1::float8, 1::float8, 1e308::float8), (2, 3, 10)) AS v(x, tx, t)) AS f;
SELECT gamma_gamma_fit(x, m) FROM (VALUES (2::float8, 1e308::float8), (3, 10), (1, 5)) AS v(x, m);
SELECT bgbb_fit(x, tx, n, c) FROM (VALUES (1::float8, 1::float8, 3::float8, 1e308::float8)) AS v(x, tx, n, c);
SELECT bgbb_log_likelihood(x, tx, n, c, bgbb)
  FROM models, (VALUES (1::float8, 1::float8, 3::float8, 1e308::float8)) AS v(x, tx, n, c) GROUP BY bgbb;
SELECT (model_likelihood_final('{4,1e308,0,0,0,0,0,1,1,1,1}')).customers;
-- A BG/BB fit over histories of a billion opportunities: bounded work per row.
SELECT round((m).alpha::numeric, 3) AS alpha, round((m).beta::numeric, 3) AS beta, (m).customers
  FROM (SELECT bgbb_fit(x, tx, n) AS m
          FROM (VALUES (0::float8, 0::float8, 1e9::float8), (1, 5, 1e9), (3, 40, 1e9), (1, 1, 6), (2, 5, 6),
                       (0, 0, 6), (4, 6, 6)) AS v(x, tx, n)) AS f;

-- ---------------------------------------------------------------------------------------------------------------
-- Simulators: a rate so large that customers buy without end is 54000 at once (it used to time out); spend
-- that overflows is 22003.
-- ---------------------------------------------------------------------------------------------------------------
SELECT count(*) FROM pareto_nbd_simulate(1e308, 2, 2, 2, 2, 2, 2);
SELECT count(*) FROM pareto_nbd_simulate(2, 5e-324, 2, 2, 2, 2, 2);
SELECT count(*) FROM bgnbd_simulate(0.243, 4.414, 0.793, 2.426, 30, 100, 1, 6.25, 3.74, 1e308);

-- ---------------------------------------------------------------------------------------------------------------
-- Cancel: a 10-million-customer simulation and a CLV over a million periods stop at statement_timeout
-- (57014) instead of running to the end.
-- ---------------------------------------------------------------------------------------------------------------
SET statement_timeout = '200ms';
SELECT count(*) FROM pareto_nbd_simulate(0.553, 10.578, 0.606, 11.669, 1000, 10000000, 1);
SELECT count(*) FROM bgbb_simulate(1.204, 0.750, 0.657, 2.783, 1000, 10000000, 1);
SELECT clv_estimate(bgnbd, spend, 2, 30, 40, 35, 1000000, 0.000000001, 0.01) FROM models;
RESET statement_timeout;
