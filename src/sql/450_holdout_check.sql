-- ---------------------------------------------------------------------------------------------------------------
-- holdout_check (docs/predictions_and_clv.md): how well a fitted transaction model predicts a holdout period.
-- For every customer, the expected purchases in the `holdout_length` time units after the calibration period
-- given the calibration history, E[X(t, t + holdout_length) | frequency, recency, t], against the purchases
-- actually made there; totals, error figures, and the means by calibration frequency (0..9, and 10 or more: the
-- data of lifetimes' plot_calibration_purchases_vs_holdout_purchases). An aggregate: one group, one check; the
-- model and holdout length must be the same on every row of a group. NULL rows are skipped; no rows give NULL.
-- ---------------------------------------------------------------------------------------------------------------

-- What holdout_check returns: totals and error figures over the customers, and the means by calibration
-- frequency.
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
COMMENT ON TYPE holdout_check_result IS
    'What holdout_check returns: totals and error figures over the customers, and the means by calibration '
    'frequency.';

-- Merges two partial states (parallel workers); callable only by the aggregates.
CREATE FUNCTION holdout_check_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION holdout_check_combine(double precision[], double precision[]) IS
    'Support function of aggregate holdout_check. Merges two partial states (parallel workers); callable only '
    'by the aggregates.';

-- The holdout_check_result of a state; callable only by the aggregates.
CREATE FUNCTION holdout_check_final(double precision[]) RETURNS holdout_check_result
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION holdout_check_final(double precision[]) IS
    'Support function of aggregate holdout_check. The holdout_check_result of a state; callable only by the '
    'aggregates.';

-- Transition functions (one per model and input form); callable only by the aggregates.
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, double precision, double precision,
                                    double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, double precision, double precision,
                                        double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, double precision, double precision,
                                     double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, double precision, double precision,
                                         double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, double precision, double precision,
                                         double precision, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, double precision, double precision,
                                             double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION bgbb_holdout_accum(double precision[], bgbb_model, double precision, double precision,
                                   double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_holdout_accum(double precision[], bgbb_model, double precision, double precision,
                                       double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, customer_summary_result, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, customer_summary_result,
                                         double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, customer_summary_result,
                                         double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, customer_summary_result,
                                             double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';

-- holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as
-- plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).
CREATE AGGREGATE holdout_check(model bgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model bgnbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
CREATE AGGREGATE holdout_check(model mbgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model mbgnbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
CREATE AGGREGATE holdout_check(model pareto_nbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model pareto_nbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
CREATE AGGREGATE holdout_check(model bgbb_model, frequency double precision, recency double precision,
                               n_periods double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgbb_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model bgbb_model, frequency double precision, recency double precision,
                                   n_periods double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';

-- holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are their
-- holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of the data in
-- the summaries' unit. Customers without calibration data are skipped.
CREATE AGGREGATE holdout_check(model bgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model bgnbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
CREATE AGGREGATE holdout_check(model mbgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model mbgnbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
CREATE AGGREGATE holdout_check(model pareto_nbd_model, summary customer_summary_result,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
COMMENT ON AGGREGATE holdout_check(model pareto_nbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
