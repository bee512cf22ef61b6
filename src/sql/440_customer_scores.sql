-- ---------------------------------------------------------------------------------------------------------------
-- customer_scores (docs/predictions_and_clv.md): every score of a customer in one composite, from one fit per
-- window partition (window forms) or from stored models (scalar forms): P(alive), churn probability, expected
-- purchases over `horizon` periods of `period_length` time units, the CLV over the same periods (discounted by
-- `discount_rate` a period, spend from Gamma-Gamma) and a churn-risk segment: the k `risk_boundaries` (increasing,
-- strictly between 0 and 1) cut the churn probability into k + 1 segments named by `risk_labels`; a churn
-- probability equal to a boundary belongs to the segment above it.
-- ---------------------------------------------------------------------------------------------------------------

-- What customer_scores returns: P(alive), churn probability, expected purchases and CLV over the horizon, and
-- the churn-risk segment.
CREATE TYPE customer_scores_result AS (
    p_alive double precision,
    churn_probability double precision,      -- 1 - p_alive
    expected_purchases double precision,     -- in the next horizon * period_length time units
    clv double precision,                    -- NULL when the customer's spend is unknown
    churn_risk text                          -- the segment of churn_probability
);
COMMENT ON TYPE customer_scores_result IS
    'What customer_scores returns: P(alive), churn probability, expected purchases and CLV over the horizon, '
    'and the churn-risk segment.';

-- Window form: the transaction model (default Pareto/NBD) and Gamma-Gamma fitted once on the partition.
CREATE FUNCTION customer_scores(summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, model text, penalizer double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Window form: the transaction model (default Pareto/NBD) and Gamma-Gamma fitted once on the partition.';

-- Window form over plain columns.
CREATE FUNCTION customer_scores(frequency double precision, recency double precision, t double precision,
                                monetary double precision, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(frequency double precision, recency double precision, t double precision,
                                    monetary double precision, horizon integer, discount_rate double precision,
                                    period_length double precision, model text, penalizer double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Window form over plain columns.';

-- Scalar forms with stored models (a view over a table of fitted models): the same composite.
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model,
                                    summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, risk_boundaries double precision[],
                                    risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model,
                                summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model,
                                    summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, risk_boundaries double precision[],
                                    risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
-- BG/BB: frequency, recency and n_periods in whole opportunities (period_length too).
CREATE FUNCTION customer_scores(model bgbb_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, n_periods double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_scores(model bgbb_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, n_periods double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'BG/BB: frequency, recency and n_periods in whole opportunities (period_length too).';
