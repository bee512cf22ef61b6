-- ---------------------------------------------------------------------------------------------------------------
-- sBG, the shifted-beta-geometric model of contractual churn (Fader & Hardie 2007, "How to project customer
-- retention"; Fader & Hardie 2010 for the residual lifetime). Periods are renewal periods (months, years...).
-- ---------------------------------------------------------------------------------------------------------------

-- A fitted sBG model: the Beta(alpha, beta) distribution of the per-period churn probability, then the fit's
-- diagnostics (log_likelihood is the total over customers).
CREATE TYPE sbg_model AS (
    alpha double precision, beta double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE sbg_model IS
    'A fitted sBG model: the Beta(alpha, beta) distribution of the per-period churn probability, then the '
    'fit''s diagnostics (log_likelihood is the total over customers).';

-- Adds one customer (tenure, churned) to an sbg_fit state: float8[] [churned_1, censored_1, churned_2, ...].
CREATE FUNCTION sbg_fit_accum(double precision[], integer, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_accum(double precision[], integer, boolean) IS
    'Support function of aggregate sbg_fit. Adds one customer (tenure, churned) to an sbg_fit state: float8[] '
    '[churned_1, censored_1, churned_2, ...].';

-- Merges two partial sbg_fit states.
CREATE FUNCTION sbg_fit_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_combine(double precision[], double precision[]) IS
    'Support function of aggregate sbg_fit. Merges two partial sbg_fit states.';

-- The maximum-likelihood sbg_model of an sbg_fit state, NULL without customers.
CREATE FUNCTION sbg_fit_final(double precision[]) RETURNS sbg_model
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_final(double precision[]) IS
    'Support function of aggregate sbg_fit. The maximum-likelihood sbg_model of an sbg_fit state, NULL '
    'without customers.';

-- sbg_fit(tenure, churned): fits the sBG model to one row per customer: tenure = periods the customer was
-- active (>= 1), churned = lost at the end of them (false: still active, censored). NULL rows are ignored.
CREATE AGGREGATE sbg_fit(tenure integer, churned boolean) (
    SFUNC = sbg_fit_accum,
    STYPE = double precision[],
    INITCOND = '{}',
    COMBINEFUNC = sbg_fit_combine,
    FINALFUNC = sbg_fit_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE sbg_fit(integer, boolean) IS
    'sbg_fit(tenure, churned): fits the sBG model to one row per customer: tenure = periods the customer was '
    'active (>= 1), churned = lost at the end of them (false: still active, censored). NULL rows are ignored.';

-- sbg_survival(model, t): S(t) = B(alpha, beta + t) / B(alpha, beta), the share still active after t periods.
CREATE FUNCTION sbg_survival(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_survival' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_survival(sbg_model, integer) IS
    'sbg_survival(model, t): S(t) = B(alpha, beta + t) / B(alpha, beta), the share still active after t '
    'periods.';

-- sbg_retention_rate(model, t): r(t) = (beta + t - 1) / (alpha + beta + t - 1), the retention rate at renewal t.
CREATE FUNCTION sbg_retention_rate(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_retention_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_retention_rate(sbg_model, integer) IS
    'sbg_retention_rate(model, t): r(t) = (beta + t - 1) / (alpha + beta + t - 1), the retention rate at '
    'renewal t.';

-- sbg_churn_probability(model, t): P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta).
CREATE FUNCTION sbg_churn_probability(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_churn_probability(sbg_model, integer) IS
    'sbg_churn_probability(model, t): P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta).';

-- sbg_discounted_expected_residual_lifetime(model, n, discount_rate): the expected number of further payments,
-- discounted per period, of a customer who has made n - 1 renewals (n = 1: new), FH 2010 eq. (6).
CREATE FUNCTION sbg_discounted_expected_residual_lifetime(model sbg_model, n integer,
                                                          discount_rate double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_discounted_expected_residual_lifetime'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_discounted_expected_residual_lifetime(sbg_model, integer, double precision) IS
    'sbg_discounted_expected_residual_lifetime(model, n, discount_rate): the expected number of further '
    'payments, discounted per period, of a customer who has made n - 1 renewals (n = 1: new), FH 2010 eq. '
    '(6).';
