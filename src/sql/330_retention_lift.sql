-- ---------------------------------------------------------------------------------------------------------------
-- Retention lift of a campaign: treated against control customers. State: float8[] [treated, treated_retained,
-- control, control_retained].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one customer (treated or control, retained or not) to a retention_lift state.
CREATE FUNCTION retention_lift_accum(double precision[], boolean, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_lift_accum(double precision[], boolean, boolean) IS
    'Support function of aggregate retention_lift. Adds one customer (treated or control, retained or not) to '
    'a retention_lift state.';

-- Removes one customer from a retention_lift state (inverse transition for sliding windows).
CREATE FUNCTION retention_lift_retract(double precision[], boolean, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_lift_retract(double precision[], boolean, boolean) IS
    'Support function of aggregate retention_lift. Removes one customer from a retention_lift state (inverse '
    'transition for sliding windows).';

-- Merges two partial retention_lift states.
CREATE FUNCTION retention_lift_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_lift_combine(double precision[], double precision[]) IS
    'Support function of aggregate retention_lift. Merges two partial retention_lift states.';

-- What retention_lift returns: both groups' counts and retention rates (fractions), the absolute lift
-- (treated - control) and relative lift (absolute / control rate), a 95% Wald interval of the difference, and
-- the pooled two-proportion z-test (z_score, two-sided p_value). Figures that cannot be computed are NULL.
CREATE TYPE retention_lift_result AS (
    treated_customers bigint,
    treated_retained bigint,
    treated_rate double precision,
    control_customers bigint,
    control_retained bigint,
    control_rate double precision,
    absolute_lift double precision,
    relative_lift double precision,
    difference_ci_low double precision,
    difference_ci_high double precision,
    z_score double precision,
    p_value double precision
);
COMMENT ON TYPE retention_lift_result IS
    'What retention_lift returns: both groups'' counts and retention rates (fractions), the absolute lift '
    '(treated - control) and relative lift (absolute / control rate), a 95% Wald interval of the difference, '
    'and the pooled two-proportion z-test (z_score, two-sided p_value). Figures that cannot be computed are '
    'NULL.';

-- The retention_lift_result of a state, NULL without customers.
CREATE FUNCTION retention_lift_final(double precision[]) RETURNS retention_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_lift_final(double precision[]) IS
    'Support function of aggregate retention_lift. The retention_lift_result of a state, NULL without '
    'customers.';

-- retention_lift(treated, retained): did the customers who got the campaign stay more than those who did not?
-- One row per customer; rows with a NULL are ignored.
CREATE AGGREGATE retention_lift(treated boolean, retained boolean) (
    SFUNC = retention_lift_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0}',
    COMBINEFUNC = retention_lift_combine,
    FINALFUNC = retention_lift_final,
    MSFUNC = retention_lift_accum,
    MINVFUNC = retention_lift_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0}',
    MFINALFUNC = retention_lift_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE retention_lift(boolean, boolean) IS
    'retention_lift(treated, retained): did the customers who got the campaign stay more than those who did '
    'not? One row per customer; rows with a NULL are ignored.';
