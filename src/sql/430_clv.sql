-- ---------------------------------------------------------------------------------------------------------------
-- Customer lifetime value (docs/predictions_and_clv.md): the discounted value of the expected purchases over
-- `horizon` whole periods of `period_length` time units (the data's own unit; default 1: one unit a period):
--   CLV = sum_{i=1..horizon} E[M] (E[X(t, t + i L)] - E[X(t, t + (i-1) L)]) / (1 + discount_rate)^i
-- with E[M] the Gamma-Gamma expected spend (lifetimes' customer_lifetime_value with the period made explicit).
-- discount_rate defaults to 0 (no discounting), as in customer_scores; horizon has no default: lifetimes' 12 is
-- in months, and a default here would silently mean 12 of whatever unit the data are in (docs/api.md).
-- ---------------------------------------------------------------------------------------------------------------

-- CLV with a BG/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision DEFAULT 0,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a BG/NBD transaction model and a Gamma-Gamma spend model.';

-- CLV with an MBG/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision DEFAULT 0,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with an MBG/NBD transaction model and a Gamma-Gamma spend model.';

-- CLV with a Pareto/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision DEFAULT 0,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a Pareto/NBD transaction model and a Gamma-Gamma spend model.';

-- CLV with a BG/BB transaction model (t = n_periods and period_length in whole opportunities) and Gamma-Gamma.
CREATE FUNCTION clv_estimate(transaction_model bgbb_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, n_periods double precision,
                             monetary double precision, horizon integer, discount_rate double precision DEFAULT 0,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model bgbb_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, n_periods double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a BG/BB transaction model (t = n_periods and period_length in whole opportunities) and '
    'Gamma-Gamma.';

-- CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).
CREATE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer,
                             discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';
CREATE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer,
                             discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';
CREATE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer,
                             discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';

-- Window forms: the transaction model (default Pareto/NBD; `model` one of 'bgnbd', 'mbgnbd', 'pareto_nbd',
-- 'bgbb', with an optional L2 `penalizer`, both read from the partition's first row) and Gamma-Gamma (on the
-- rows with frequency > 0) fitted once on the whole partition, then the CLV of each row. Rows with a NULL
-- argument get NULL and take no part in the fits.
CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'Window forms: the transaction model (default Pareto/NBD; `model` one of ''bgnbd'', ''mbgnbd'', '
    '''pareto_nbd'', ''bgbb'', with an optional L2 `penalizer`, both read from the partition''s first row) '
    'and Gamma-Gamma (on the rows with frequency > 0) fitted once on the whole partition, then the CLV of '
    'each row. Rows with a NULL argument get NULL and take no part in the fits.';

-- Window form with period_length = 1 time unit of the data.
CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision) IS
    'Window form with period_length = 1 time unit of the data.';

-- Window form with a named model.
CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision, model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision, model text, penalizer double precision) IS
    'Window form with a named model.';

-- Window form over customer_summary_result composites.
CREATE FUNCTION clv_estimate(summary customer_summary_result, horizon integer,
                             discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                             model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clv_estimate(summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision, model text, penalizer double precision) IS
    'Window form over customer_summary_result composites.';
