-- ---------------------------------------------------------------------------------------------------------------
-- mean_lift: before/after and treated/control comparison of a mean (average order value, orders or revenue per
-- customer) with Welch's t-test (docs/mean_lift.md); the sibling of retention_lift, which compares proportions.
-- State: float8[] [treated n, mean, M2, control n, mean, M2] (+ [confidence level]).
-- ---------------------------------------------------------------------------------------------------------------

-- What mean_lift returns: each group's size, mean and standard deviation, the difference of means (treated -
-- control), the relative difference (/ control mean), its confidence interval, Welch's t, its degrees of freedom
-- and the two-sided p-value. Figures that cannot be computed are NULL.
CREATE TYPE mean_lift_result AS (
    treated_n bigint,
    treated_mean double precision,
    treated_sd double precision,
    control_n bigint,
    control_mean double precision,
    control_sd double precision,
    difference double precision,
    relative_difference double precision,
    ci_low double precision,
    ci_high double precision,
    t_statistic double precision,
    degrees_of_freedom double precision,
    p_value double precision
);
COMMENT ON TYPE mean_lift_result IS
    'What mean_lift returns: each group''s size, mean and standard deviation, the difference of means '
    '(treated - control), the relative difference (/ control mean), its confidence interval, Welch''s t, its '
    'degrees of freedom and the two-sided p-value. Figures that cannot be computed are NULL.';

-- Adds one value of the treated (true) or control (false) group to a mean_lift state.
CREATE FUNCTION mean_lift_accum(double precision[], boolean, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_accum(double precision[], boolean, double precision) IS
    'Support function of aggregate mean_lift. Adds one value of the treated (true) or control (false) group '
    'to a mean_lift state.';

-- Merges two partial mean_lift states.
CREATE FUNCTION mean_lift_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_combine(double precision[], double precision[]) IS
    'Support function of aggregate mean_lift. Merges two partial mean_lift states.';

-- The mean_lift_result of a state (95% interval); NULL without values.
CREATE FUNCTION mean_lift_final(double precision[]) RETURNS mean_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_final(double precision[]) IS
    'Support function of aggregate mean_lift. The mean_lift_result of a state (95% interval); NULL without '
    'values.';

-- mean_lift(treated, value): is the treated group's mean (or the "after" period's) different from the control
-- group's (the "before" period's)? Rows with a NULL are ignored.
CREATE AGGREGATE mean_lift(treated boolean, value double precision) (
    SFUNC = mean_lift_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = mean_lift_combine,
    FINALFUNC = mean_lift_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mean_lift(treated boolean, value double precision) IS
    'mean_lift(treated, value): is the treated group''s mean (or the "after" period''s) different from the '
    'control group''s (the "before" period''s)? Rows with a NULL are ignored.';

-- Adds one value to a mean_lift state that carries a confidence level (the same on every row; 0 < level < 1).
CREATE FUNCTION mean_lift_accum(double precision[], boolean, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_accum(double precision[], boolean, double precision, double precision) IS
    'Support function of aggregate mean_lift. Adds one value to a mean_lift state that carries a confidence '
    'level (the same on every row; 0 < level < 1).';

-- Merges two partial mean_lift states that carry a confidence level (the levels must agree).
CREATE FUNCTION mean_lift_confidence_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_confidence_combine(double precision[], double precision[]) IS
    'Support function of aggregate mean_lift. Merges two partial mean_lift states that carry a confidence '
    'level (the levels must agree).';

-- The mean_lift_result of a state at its own confidence level.
CREATE FUNCTION mean_lift_confidence_final(double precision[]) RETURNS mean_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mean_lift_confidence_final(double precision[]) IS
    'Support function of aggregate mean_lift. The mean_lift_result of a state at its own confidence level.';

-- mean_lift(treated, value, confidence): as above with the interval at the given level (e.g. 0.9).
CREATE AGGREGATE mean_lift(treated boolean, value double precision, confidence double precision) (
    SFUNC = mean_lift_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0,NaN}',
    COMBINEFUNC = mean_lift_confidence_combine,
    FINALFUNC = mean_lift_confidence_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mean_lift(treated boolean, value double precision, confidence double precision) IS
    'mean_lift(treated, value, confidence): as above with the interval at the given level (e.g. 0.9).';
