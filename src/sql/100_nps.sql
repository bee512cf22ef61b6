-- ---------------------------------------------------------------------------------------------------------------
-- Net Promoter Score over 0-10 ratings. State: float8[] [promoters, passives, detractors(, confidence)].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one rating to an NPS state (a rating outside 0-10 is an error 22003).
CREATE FUNCTION nps_accum(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_accum(double precision[], integer) IS
    'Support function of aggregates nps, nps_stats. Adds one rating to an NPS state (a rating outside 0-10 is '
    'an error 22003).';

-- Removes one rating from an NPS state: the inverse transition that lets sliding windows avoid re-scanning.
CREATE FUNCTION nps_retract(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_retract(double precision[], integer) IS
    'Support function of aggregates nps, nps_stats. Removes one rating from an NPS state: the inverse '
    'transition that lets sliding windows avoid re-scanning.';

-- Merges two partial NPS states (parallel workers, distributed partial aggregation).
CREATE FUNCTION nps_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_combine(double precision[], double precision[]) IS
    'Support function of aggregates nps, nps_stats. Merges two partial NPS states (parallel workers, '
    'distributed partial aggregation).';

-- The score of an NPS state: 100 * (promoters - detractors) / respondents, NULL when nobody answered.
CREATE FUNCTION nps_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_nps_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_final(double precision[]) IS
    'Support function of aggregate nps. The score of an NPS state: 100 * (promoters - detractors) / '
    'respondents, NULL when nobody answered.';

-- nps(score): the Net Promoter Score, from -100 to 100. Promoters rate 9-10, detractors 0-6. NULL scores are
-- ignored; no rows give NULL. Usable as a window function, with sliding frames computed incrementally.
CREATE AGGREGATE nps(score integer) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(integer) IS
    'nps(score): the Net Promoter Score, from -100 to 100. Promoters rate 9-10, detractors 0-6. NULL scores '
    'are ignored; no rows give NULL. Usable as a window function, with sliding frames computed incrementally.';

-- What nps_stats returns: the score, the counts behind it, its standard error and confidence interval.
CREATE TYPE nps_summary AS (
    nps double precision,
    respondents bigint,
    promoters bigint,
    passives bigint,
    detractors bigint,
    std_error double precision,
    ci_low double precision,
    ci_high double precision
);
COMMENT ON TYPE nps_summary IS
    'What nps_stats returns: the score, the counts behind it, its standard error and confidence interval.';

-- The nps_summary of an NPS state, with a 95% interval.
CREATE FUNCTION nps_stats_final(double precision[]) RETURNS nps_summary
    AS 'MODULE_PATHNAME', 'loyalty_nps_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_stats_final(double precision[]) IS
    'Support function of aggregate nps_stats. The nps_summary of an NPS state, with a 95% interval.';

-- nps_stats(score): NPS with counts, standard error 100*sqrt((p + d - (p - d)^2)/n) and a 95% normal
-- interval clipped to [-100, 100].
CREATE AGGREGATE nps_stats(score integer) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_stats_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(integer) IS
    'nps_stats(score): NPS with counts, standard error 100*sqrt((p + d - (p - d)^2)/n) and a 95% normal '
    'interval clipped to [-100, 100].';

-- Adds one rating to an NPS state that carries a confidence level (constant within a group; 0 < level < 1).
CREATE FUNCTION nps_confidence_accum(double precision[], integer, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_accum(double precision[], integer, double precision) IS
    'Support function of aggregate nps_stats. Adds one rating to an NPS state that carries a confidence level '
    '(constant within a group; 0 < level < 1).';

-- Removes one rating from an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_retract(double precision[], integer, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_retract(double precision[], integer, double precision) IS
    'Support function of aggregate nps_stats. Removes one rating from an NPS state that carries a confidence '
    'level.';

-- Merges two partial NPS states that carry a confidence level (the levels must agree).
CREATE FUNCTION nps_confidence_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_combine(double precision[], double precision[]) IS
    'Support function of aggregate nps_stats. Merges two partial NPS states that carry a confidence level '
    '(the levels must agree).';

-- The nps_summary of an NPS state at its own confidence level.
CREATE FUNCTION nps_confidence_stats_final(double precision[]) RETURNS nps_summary
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_stats_final(double precision[]) IS
    'Support function of aggregate nps_stats. The nps_summary of an NPS state at its own confidence level.';

-- nps_stats(score, confidence): as nps_stats(score) with the interval at the given level (e.g. 0.9); the
-- normal quantile comes from Boost.Math. The level must be the same on every row of a group.
CREATE AGGREGATE nps_stats(score integer, confidence double precision) (
    SFUNC = nps_confidence_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,NaN}',
    COMBINEFUNC = nps_confidence_combine,
    FINALFUNC = nps_confidence_stats_final,
    MSFUNC = nps_confidence_accum,
    MINVFUNC = nps_confidence_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,NaN}',
    MFINALFUNC = nps_confidence_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(integer, double precision) IS
    'nps_stats(score, confidence): as nps_stats(score) with the interval at the given level (e.g. 0.9); the '
    'normal quantile comes from Boost.Math. The level must be the same on every row of a group.';

-- ---------------------------------------------------------------------------------------------------------------
-- nps and nps_stats over smallint and bigint scores (pandas' to_sql writes BIGINT columns; with integer and bigint
-- overloads alone PostgreSQL would find a smallint argument ambiguous). The same states, support and results as
-- the integer forms; a bigint beyond the integer range is an error 22003 like any score outside 0-10.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one smallint rating to an NPS state.
CREATE FUNCTION nps_accum(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_accum(double precision[], smallint) IS
    'Support function of aggregates nps, nps_stats. Adds one smallint rating to an NPS state.';

-- Removes one smallint rating from an NPS state.
CREATE FUNCTION nps_retract(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_retract(double precision[], smallint) IS
    'Support function of aggregates nps, nps_stats. Removes one smallint rating from an NPS state.';

-- Adds one smallint rating to an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_accum(double precision[], smallint, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_accum(double precision[], smallint, double precision) IS
    'Support function of aggregate nps_stats. Adds one smallint rating to an NPS state that carries a confidence '
    'level.';

-- Removes one smallint rating from an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_retract(double precision[], smallint, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_retract(double precision[], smallint, double precision) IS
    'Support function of aggregate nps_stats. Removes one smallint rating from an NPS state that carries a '
    'confidence level.';

-- nps(score smallint): as nps(score integer).
CREATE AGGREGATE nps(score smallint) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(score smallint) IS
    'nps(score smallint): the Net Promoter Score, from -100 to 100, as nps(score integer).';

-- nps_stats(score smallint): as nps_stats(score integer).
CREATE AGGREGATE nps_stats(score smallint) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_stats_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(score smallint) IS
    'nps_stats(score smallint): NPS with counts, standard error and a 95% interval, as nps_stats(score integer).';

-- nps_stats(score smallint, confidence): as nps_stats(score integer, confidence).
CREATE AGGREGATE nps_stats(score smallint, confidence double precision) (
    SFUNC = nps_confidence_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,NaN}',
    COMBINEFUNC = nps_confidence_combine,
    FINALFUNC = nps_confidence_stats_final,
    MSFUNC = nps_confidence_accum,
    MINVFUNC = nps_confidence_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,NaN}',
    MFINALFUNC = nps_confidence_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(score smallint, confidence double precision) IS
    'nps_stats(score smallint, confidence): as nps_stats(score integer, confidence).';

-- Adds one bigint rating to an NPS state.
CREATE FUNCTION nps_accum(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_accum(double precision[], bigint) IS
    'Support function of aggregates nps, nps_stats. Adds one bigint rating to an NPS state.';

-- Removes one bigint rating from an NPS state.
CREATE FUNCTION nps_retract(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_retract(double precision[], bigint) IS
    'Support function of aggregates nps, nps_stats. Removes one bigint rating from an NPS state.';

-- Adds one bigint rating to an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_accum(double precision[], bigint, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_accum(double precision[], bigint, double precision) IS
    'Support function of aggregate nps_stats. Adds one bigint rating to an NPS state that carries a confidence '
    'level.';

-- Removes one bigint rating from an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_retract(double precision[], bigint, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nps_confidence_retract(double precision[], bigint, double precision) IS
    'Support function of aggregate nps_stats. Removes one bigint rating from an NPS state that carries a '
    'confidence level.';

-- nps(score bigint): as nps(score integer).
CREATE AGGREGATE nps(score bigint) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps(score bigint) IS
    'nps(score bigint): the Net Promoter Score, from -100 to 100, as nps(score integer).';

-- nps_stats(score bigint): as nps_stats(score integer).
CREATE AGGREGATE nps_stats(score bigint) (
    SFUNC = nps_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0}',
    COMBINEFUNC = nps_combine,
    FINALFUNC = nps_stats_final,
    MSFUNC = nps_accum,
    MINVFUNC = nps_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0}',
    MFINALFUNC = nps_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(score bigint) IS
    'nps_stats(score bigint): NPS with counts, standard error and a 95% interval, as nps_stats(score integer).';

-- nps_stats(score bigint, confidence): as nps_stats(score integer, confidence).
CREATE AGGREGATE nps_stats(score bigint, confidence double precision) (
    SFUNC = nps_confidence_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,NaN}',
    COMBINEFUNC = nps_confidence_combine,
    FINALFUNC = nps_confidence_stats_final,
    MSFUNC = nps_confidence_accum,
    MINVFUNC = nps_confidence_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,NaN}',
    MFINALFUNC = nps_confidence_stats_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE nps_stats(score bigint, confidence double precision) IS
    'nps_stats(score bigint, confidence): as nps_stats(score integer, confidence).';
