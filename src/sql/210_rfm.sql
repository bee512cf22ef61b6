-- ---------------------------------------------------------------------------------------------------------------
-- RFM scores (recency, frequency, monetary) with named segments. Quantile rule: a value scores
-- 1 + floor(k * below / n), below = customers with a strictly worse value; ties are never split. Breakpoints
-- (rfm_thresholds) give the same scores to new customers without re-ranking everyone.
-- ---------------------------------------------------------------------------------------------------------------

-- What rfm_score returns: three scores 1..buckets, the code ('545') and the segment name (5 buckets only).
CREATE TYPE rfm_result AS (
    r integer,
    f integer,
    m integer,
    code text,
    segment text
);
COMMENT ON TYPE rfm_result IS
    'What rfm_score returns: three scores 1..buckets, the code (''545'') and the segment name (5 buckets '
    'only).';

-- What rfm_thresholds returns: buckets - 1 breakpoints per dimension (data values; a value scores 1 + the
-- number of breakpoints it is strictly better than), and the number of customers they come from.
CREATE TYPE rfm_breakpoints AS (
    buckets integer,
    recency double precision[],    -- days_since_last, non-increasing (fewer days is better)
    frequency double precision[],  -- non-decreasing
    monetary double precision[],   -- non-decreasing
    customers bigint
);
COMMENT ON TYPE rfm_breakpoints IS
    'What rfm_thresholds returns: buckets - 1 breakpoints per dimension (data values; a value scores 1 + the '
    'number of breakpoints it is strictly better than), and the number of customers they come from.';

-- rfm_score(days_since_last, frequency, monetary) OVER (...): each row scored 1-5 on each dimension against the
-- rows of its partition with no NULL input (rows with a NULL input get NULL). The frame is irrelevant.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                              monetary double precision) IS
    'rfm_score(days_since_last, frequency, monetary) OVER (...): each row scored 1-5 on each dimension '
    'against the rows of its partition with no NULL input (rows with a NULL input get NULL). The frame is '
    'irrelevant.';

-- rfm_score(days_since_last, frequency, monetary, buckets) OVER (...): as above with 2-9 buckets; the segment
-- is NULL unless buckets = 5.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision, buckets integer) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_buckets_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision, monetary double precision,
                              buckets integer) IS
    'rfm_score(days_since_last, frequency, monetary, buckets) OVER (...): as above with 2-9 buckets; the '
    'segment is NULL unless buckets = 5.';

-- rfm_score(days_since_last, frequency, monetary, thresholds): one customer scored against stored breakpoints;
-- equal to the window form on the data the breakpoints come from.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision, thresholds rfm_breakpoints) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_breakpoints' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision, monetary double precision,
                              thresholds rfm_breakpoints) IS
    'rfm_score(days_since_last, frequency, monetary, thresholds): one customer scored against stored '
    'breakpoints; equal to the window form on the data the breakpoints come from.';

-- Adds one customer to an rfm_thresholds state (rows with a NULL input are skipped).
CREATE FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate rfm_thresholds. Adds one customer to an rfm_thresholds state (rows with a '
    'NULL input are skipped).';

-- Adds one customer to an rfm_thresholds state with a number of buckets (2-9, the same on every row).
CREATE FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision, integer)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_buckets_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision, integer) IS
    'Support function of aggregate rfm_thresholds. Adds one customer to an rfm_thresholds state with a number '
    'of buckets (2-9, the same on every row).';

-- Merges two partial rfm_thresholds states (parallel workers).
CREATE FUNCTION rfm_thresholds_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_combine(internal, internal) IS
    'Support function of aggregate rfm_thresholds. Merges two partial rfm_thresholds states (parallel '
    'workers).';

-- An rfm_thresholds state as bytes, for parallel workers.
CREATE FUNCTION rfm_thresholds_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_serialize(internal) IS
    'Support function of aggregate rfm_thresholds. An rfm_thresholds state as bytes, for parallel workers.';

-- An rfm_thresholds state from its bytes, validated before use.
CREATE FUNCTION rfm_thresholds_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_deserialize(bytea, internal) IS
    'Support function of aggregate rfm_thresholds. An rfm_thresholds state from its bytes, validated before '
    'use.';

-- The rfm_breakpoints of a state; NULL when no customer was counted.
CREATE FUNCTION rfm_thresholds_final(internal) RETURNS rfm_breakpoints
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_thresholds_final(internal) IS
    'Support function of aggregate rfm_thresholds. The rfm_breakpoints of a state; NULL when no customer was '
    'counted.';

-- rfm_thresholds(days_since_last, frequency, monetary): the quintile breakpoints of the customers, to store and
-- score new customers with rfm_score(..., thresholds). Holds the rows' values until the end (24 bytes a row).
CREATE AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                monetary double precision) (
    SFUNC = rfm_thresholds_accum,
    STYPE = internal,
    COMBINEFUNC = rfm_thresholds_combine,
    SERIALFUNC = rfm_thresholds_serialize,
    DESERIALFUNC = rfm_thresholds_deserialize,
    FINALFUNC = rfm_thresholds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                    monetary double precision) IS
    'rfm_thresholds(days_since_last, frequency, monetary): the quintile breakpoints of the customers, to '
    'store and score new customers with rfm_score(..., thresholds). Holds the rows'' values until the end (24 '
    'bytes a row).';

-- rfm_thresholds(days_since_last, frequency, monetary, buckets): the same with 2-9 buckets.
CREATE AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                monetary double precision, buckets integer) (
    SFUNC = rfm_thresholds_accum,
    STYPE = internal,
    COMBINEFUNC = rfm_thresholds_combine,
    SERIALFUNC = rfm_thresholds_serialize,
    DESERIALFUNC = rfm_thresholds_deserialize,
    FINALFUNC = rfm_thresholds_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                    monetary double precision, buckets integer) IS
    'rfm_thresholds(days_since_last, frequency, monetary, buckets): the same with 2-9 buckets.';

-- rfm_segment(r, f, m): the named segment of 1-5 scores (Champions ... Lost); a score outside 1-5 is 22003.
CREATE FUNCTION rfm_segment(r integer, f integer, m integer) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(r integer, f integer, m integer) IS
    'rfm_segment(r, f, m): the named segment of 1-5 scores (Champions ... Lost); a score outside 1-5 is '
    '22003.';

-- rfm_segment(code): the named segment of a three-digit code such as '545'.
CREATE FUNCTION rfm_segment(code text) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(code text) IS
    'rfm_segment(code): the named segment of a three-digit code such as ''545''.';

-- rfm_segment(r, f, m) over smallint and bigint scores (pandas' to_sql writes BIGINT columns; with integer and
-- bigint overloads alone PostgreSQL would find smallint arguments ambiguous). A bigint beyond the integer range is
-- an error 22003 like any score outside 1-5.
CREATE FUNCTION rfm_segment(r smallint, f smallint, m smallint) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_scores_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(r smallint, f smallint, m smallint) IS
    'rfm_segment(r, f, m) of smallint scores: as rfm_segment(r integer, f integer, m integer).';
CREATE FUNCTION rfm_segment(r bigint, f bigint, m bigint) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_scores_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(r bigint, f bigint, m bigint) IS
    'rfm_segment(r, f, m) of bigint scores: as rfm_segment(r integer, f integer, m integer).';
