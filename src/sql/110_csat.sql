-- ---------------------------------------------------------------------------------------------------------------
-- Customer Satisfaction (top-two-box share, percent). State: float8[] [satisfied, respondents, scale_max].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one 1-5 rating to a CSAT state (a rating outside the scale is an error 22003).
CREATE FUNCTION csat_accum(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], integer) IS
    'Support function of aggregate csat. Adds one 1-5 rating to a CSAT state (a rating outside the scale is '
    'an error 22003).';

-- Removes one rating from a CSAT state (inverse transition for sliding windows).
CREATE FUNCTION csat_retract(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], integer) IS
    'Support function of aggregate csat. Removes one rating from a CSAT state (inverse transition for sliding '
    'windows).';

-- Adds one rating on a 1-scale_max scale (scale_max >= 3, constant within a group) to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], integer, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], integer, integer) IS
    'Support function of aggregate csat. Adds one rating on a 1-scale_max scale (scale_max >= 3, constant '
    'within a group) to a CSAT state.';

-- Removes one rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], integer, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], integer, integer) IS
    'Support function of aggregate csat. Removes one rating on a 1-scale_max scale from a CSAT state.';

-- Merges two partial CSAT states (their scales must agree).
CREATE FUNCTION csat_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_combine(double precision[], double precision[]) IS
    'Support function of aggregate csat. Merges two partial CSAT states (their scales must agree).';

-- The CSAT of a state: 100 * satisfied / respondents, NULL when nobody answered.
CREATE FUNCTION csat_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_csat_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_final(double precision[]) IS
    'Support function of aggregate csat. The CSAT of a state: 100 * satisfied / respondents, NULL when nobody '
    'answered.';

-- csat(score): percent of answers 4 or 5 on a 1-5 scale. NULLs ignored; no rows give NULL.
CREATE AGGREGATE csat(score integer) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,5}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,5}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(integer) IS
    'csat(score): percent of answers 4 or 5 on a 1-5 scale. NULLs ignored; no rows give NULL.';

-- csat(score, scale_max): percent of answers in the top two boxes (scale_max - 1 and scale_max) of a
-- 1-scale_max scale, e.g. 6-7 on a 7-point scale.
CREATE AGGREGATE csat(score integer, scale_max integer) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,NaN}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,NaN}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(integer, integer) IS
    'csat(score, scale_max): percent of answers in the top two boxes (scale_max - 1 and scale_max) of a '
    '1-scale_max scale, e.g. 6-7 on a 7-point scale.';

-- ---------------------------------------------------------------------------------------------------------------
-- csat over smallint and bigint scores (pandas' to_sql writes BIGINT columns; with integer and bigint overloads
-- alone PostgreSQL would find a smallint argument ambiguous). The same states, support and results as the
-- integer forms; scale_max stays an integer. A bigint beyond the integer range is an error 22003.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one smallint 1-5 rating to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], smallint) IS
    'Support function of aggregate csat. Adds one smallint 1-5 rating to a CSAT state.';

-- Removes one smallint 1-5 rating from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], smallint) IS
    'Support function of aggregate csat. Removes one smallint 1-5 rating from a CSAT state.';

-- Adds one smallint rating on a 1-scale_max scale to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], smallint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], smallint, integer) IS
    'Support function of aggregate csat. Adds one smallint rating on a 1-scale_max scale to a CSAT state.';

-- Removes one smallint rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], smallint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], smallint, integer) IS
    'Support function of aggregate csat. Removes one smallint rating on a 1-scale_max scale from a CSAT state.';

-- csat(score smallint): as csat(score integer).
CREATE AGGREGATE csat(score smallint) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,5}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,5}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(score smallint) IS
    'csat(score smallint): percent of answers 4 or 5 on a 1-5 scale, as csat(score integer).';

-- csat(score smallint, scale_max): as csat(score integer, scale_max).
CREATE AGGREGATE csat(score smallint, scale_max integer) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,NaN}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,NaN}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(score smallint, scale_max integer) IS
    'csat(score smallint, scale_max): percent of answers in the top two boxes of a 1-scale_max scale, as '
    'csat(score integer, scale_max).';

-- Adds one bigint 1-5 rating to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], bigint) IS
    'Support function of aggregate csat. Adds one bigint 1-5 rating to a CSAT state.';

-- Removes one bigint 1-5 rating from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], bigint) IS
    'Support function of aggregate csat. Removes one bigint 1-5 rating from a CSAT state.';

-- Adds one bigint rating on a 1-scale_max scale to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], bigint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], bigint, integer) IS
    'Support function of aggregate csat. Adds one bigint rating on a 1-scale_max scale to a CSAT state.';

-- Removes one bigint rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], bigint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], bigint, integer) IS
    'Support function of aggregate csat. Removes one bigint rating on a 1-scale_max scale from a CSAT state.';

-- csat(score bigint): as csat(score integer).
CREATE AGGREGATE csat(score bigint) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,5}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,5}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(score bigint) IS
    'csat(score bigint): percent of answers 4 or 5 on a 1-5 scale, as csat(score integer).';

-- csat(score bigint, scale_max): as csat(score integer, scale_max).
CREATE AGGREGATE csat(score bigint, scale_max integer) (
    SFUNC = csat_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,NaN}',
    COMBINEFUNC = csat_combine,
    FINALFUNC = csat_final,
    MSFUNC = csat_accum,
    MINVFUNC = csat_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,NaN}',
    MFINALFUNC = csat_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE csat(score bigint, scale_max integer) IS
    'csat(score bigint, scale_max): percent of answers in the top two boxes of a 1-scale_max scale, as '
    'csat(score integer, scale_max).';
