-- loyalty 0.1.0 -> 0.2.0, run by ALTER EXTENSION loyalty UPDATE.
--
-- 0.1.0 has shipped (src/sql/shipped/loyalty--0.1.0.sql). Whoever changes the SQL surface for 0.2.0 (a new or
-- changed function, aggregate, type or C symbol in the fragments of src/sql/) appends here the statements that
-- take a 0.1.0 database to exactly what a fresh 0.2.0 install creates. test/ops/upgrade.sh checks that the
-- upgraded database's extension objects equal a fresh install's and that stored models and views still give the
-- same results. See docs/upgrades.md.

\echo Use "ALTER EXTENSION loyalty UPDATE TO '0.2.0'" to load this file. \quit

-- issue 11: churn probability an analyst can act on. New in 0.2.0 (all additive; the window forms p_alive,
-- churn_probability and clv_estimate of 0.1.0 keep their signatures and C symbols, but now fit the default model,
-- Pareto/NBD, instead of BG/NBD; pass model => 'bgnbd' through the new overloads for the 0.1.0 behaviour):
-- predictions of customer_summary_result composites, window forms with a model and penalizer, customer_scores,
-- holdout_check.
-- The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration data), for
-- the continuous-time models.
CREATE FUNCTION p_alive(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model pareto_nbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Gamma-Gamma expected spend from the summary's frequency and monetary.
CREATE FUNCTION expected_spend(model gamma_gamma_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_expected_spend_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;


-- Window forms with a model and a penalizer, and over customer_summary_result.
CREATE FUNCTION p_alive(frequency double precision, recency double precision, t double precision, model text,
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION p_alive(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_probability(frequency double precision, recency double precision, t double precision,
                                  model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_probability(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                                  penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).
CREATE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision, model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_estimate(summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1, model text DEFAULT 'pareto_nbd',
                             penalizer double precision DEFAULT 0) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- ---------------------------------------------------------------------------------------------------------------
-- customer_scores (docs/predictions_and_clv.md): every score of a customer in one composite, from one fit per
-- window partition (window forms) or from stored models (scalar forms): P(alive), churn probability, expected
-- purchases over `horizon` periods of `period_length` time units, the CLV over the same periods (discounted by
-- `discount_rate` a period, spend from Gamma-Gamma) and a churn-risk segment: the k `risk_boundaries` (increasing,
-- strictly between 0 and 1) cut the churn probability into k + 1 segments named by `risk_labels`; a churn
-- probability equal to a boundary belongs to the segment above it.
-- ---------------------------------------------------------------------------------------------------------------

CREATE TYPE customer_scores_result AS (
    p_alive double precision,
    churn_probability double precision,      -- 1 - p_alive
    expected_purchases double precision,     -- in the next horizon * period_length time units
    clv double precision,                    -- NULL when the customer's spend is unknown
    churn_risk text                          -- the segment of churn_probability
);

-- Window form: the transaction model (default Pareto/NBD) and Gamma-Gamma fitted once on the partition.
CREATE FUNCTION customer_scores(summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Window form over plain columns.
CREATE FUNCTION customer_scores(frequency double precision, recency double precision, t double precision,
                                monetary double precision, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Scalar forms with stored models (a view over a table of fitted models): the same composite.
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model,
                                summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- BG/BB: frequency, recency and n_periods in whole opportunities (period_length too).
CREATE FUNCTION customer_scores(model bgbb_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, n_periods double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---------------------------------------------------------------------------------------------------------------
-- holdout_check (docs/predictions_and_clv.md): how well a fitted transaction model predicts a holdout period.
-- For every customer, the expected purchases in the `holdout_length` time units after the calibration period
-- given the calibration history, E[X(t, t + holdout_length) | frequency, recency, t], against the purchases
-- actually made there; totals, error figures, and the means by calibration frequency (0..9, and 10 or more: the
-- data of lifetimes' plot_calibration_purchases_vs_holdout_purchases). An aggregate: one group, one check; the
-- model and holdout length must be the same on every row of a group. NULL rows are skipped; no rows give NULL.
-- ---------------------------------------------------------------------------------------------------------------

CREATE TYPE holdout_check_result AS (
    customers bigint,
    predicted_purchases double precision,        -- total expected holdout purchases
    actual_purchases double precision,           -- total actual holdout purchases
    mean_absolute_error double precision,        -- per customer
    root_mean_squared_error double precision,    -- per customer
    correlation double precision,                -- Pearson, predicted vs actual over customers (NULL if constant)
    calibration_frequency integer[],             -- the frequency groups present (10 stands for 10 or more)
    customers_by_frequency bigint[],
    predicted_mean double precision[],           -- mean expected holdout purchases of the group
    actual_mean double precision[]               -- mean actual holdout purchases of the group
);

-- Merges two partial states (parallel workers); callable only by the aggregates.
CREATE FUNCTION holdout_check_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The holdout_check_result of a state; callable only by the aggregates.
CREATE FUNCTION holdout_check_final(double precision[]) RETURNS holdout_check_result
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Transition functions (one per model and input form); callable only by the aggregates.
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, double precision, double precision,
                                    double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, double precision, double precision,
                                     double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, double precision, double precision,
                                         double precision, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_holdout_accum(double precision[], bgbb_model, double precision, double precision,
                                   double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, customer_summary_result,
                                         double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as
-- plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).
CREATE AGGREGATE holdout_check(model bgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model mbgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model pareto_nbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model bgbb_model, frequency double precision, recency double precision,
                               n_periods double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgbb_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);

-- holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are their
-- holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of the data in
-- the summaries' unit. Customers without calibration data are skipped.
CREATE AGGREGATE holdout_check(model bgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model mbgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model pareto_nbd_model, summary customer_summary_result,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
-- end of issue 11
