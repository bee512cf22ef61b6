-- loyalty: customer-loyalty and retention analytics inside PostgreSQL.
--
-- This install script is assembled by the Makefile from the fragments in src/sql/, one per feature, in name
-- order. Every object is created in the extension's schema (no schema is hard-coded: the extension is
-- relocatable). Aggregate support functions (*_accum, *_combine, *_final, ...) are SQL-callable so that
-- PostgreSQL and distributed engines can run partial aggregation; they validate the states they are given.

\echo Use "CREATE EXTENSION loyalty" to load this file. \quit

-- ---------------------------------------------------------------------------------------------------------------
-- Net Promoter Score over 0-10 ratings. State: float8[] [promoters, passives, detractors(, confidence)].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one rating to an NPS state (a rating outside 0-10 is an error 22003).
CREATE FUNCTION nps_accum(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Removes one rating from an NPS state: the inverse transition that lets sliding windows avoid re-scanning.
CREATE FUNCTION nps_retract(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial NPS states (parallel workers, distributed partial aggregation).
CREATE FUNCTION nps_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The score of an NPS state: 100 * (promoters - detractors) / respondents, NULL when nobody answered.
CREATE FUNCTION nps_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_nps_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- nps(score): the Net Promoter Score, from -100 to 100. Promoters rate 9-10, detractors 0-6. NULL scores are
-- ignored; no rows give NULL. Usable as a window function, with sliding frames computed incrementally.
CREATE AGGREGATE nps(integer) (
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

-- The nps_summary of an NPS state, with a 95% interval.
CREATE FUNCTION nps_stats_final(double precision[]) RETURNS nps_summary
    AS 'MODULE_PATHNAME', 'loyalty_nps_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- nps_stats(score): NPS with counts, standard error 100*sqrt((p + d - (p - d)^2)/n) and a 95% normal
-- interval clipped to [-100, 100].
CREATE AGGREGATE nps_stats(integer) (
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

-- Adds one rating to an NPS state that carries a confidence level (constant within a group; 0 < level < 1).
CREATE FUNCTION nps_confidence_accum(double precision[], integer, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Removes one rating from an NPS state that carries a confidence level.
CREATE FUNCTION nps_confidence_retract(double precision[], integer, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial NPS states that carry a confidence level (the levels must agree).
CREATE FUNCTION nps_confidence_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The nps_summary of an NPS state at its own confidence level.
CREATE FUNCTION nps_confidence_stats_final(double precision[]) RETURNS nps_summary
    AS 'MODULE_PATHNAME', 'loyalty_nps_confidence_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- nps_stats(score, confidence): as nps_stats(score) with the interval at the given level (e.g. 0.9); the
-- normal quantile comes from Boost.Math. The level must be the same on every row of a group.
CREATE AGGREGATE nps_stats(integer, double precision) (
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
-- ---------------------------------------------------------------------------------------------------------------
-- Customer Satisfaction (top-two-box share, percent). State: float8[] [satisfied, respondents, scale_max].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one 1-5 rating to a CSAT state (a rating outside the scale is an error 22003).
CREATE FUNCTION csat_accum(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Removes one rating from a CSAT state (inverse transition for sliding windows).
CREATE FUNCTION csat_retract(double precision[], integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Adds one rating on a 1-scale_max scale (scale_max >= 3, constant within a group) to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], integer, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Removes one rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], integer, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial CSAT states (their scales must agree).
CREATE FUNCTION csat_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The CSAT of a state: 100 * satisfied / respondents, NULL when nobody answered.
CREATE FUNCTION csat_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_csat_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- csat(score): percent of answers 4 or 5 on a 1-5 scale. NULLs ignored; no rows give NULL.
CREATE AGGREGATE csat(integer) (
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

-- csat(score, scale_max): percent of answers in the top two boxes (scale_max - 1 and scale_max) of a
-- 1-scale_max scale, e.g. 6-7 on a 7-point scale.
CREATE AGGREGATE csat(integer, integer) (
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
-- ---------------------------------------------------------------------------------------------------------------
-- customer_summary: one customer's order log reduced to frequency / recency / T / monetary, the input of the
-- "buy till you die" models, with lifetimes' summary_data_from_transaction_data conventions (daily periods).
-- State: internal (the customer's distinct order days with their summed amounts), serialised to bytea.
-- ---------------------------------------------------------------------------------------------------------------

-- What customer_summary returns. Calibration period = orders on or before the as_of day; holdout = after it.
CREATE TYPE customer_summary_result AS (
    frequency integer,               -- distinct purchase days - 1 (repeat purchases)
    recency double precision,        -- last purchase day - first purchase day, in the unit
    t double precision,              -- as_of day - first purchase day, in the unit
    monetary double precision,       -- mean value of the repeat purchase days (same-day orders summed); 0 if none
    orders bigint,                   -- orders in the calibration period
    revenue double precision,        -- their total amount
    first_order timestamp with time zone,
    last_order timestamp with time zone,
    days_since_last integer,         -- as_of day - last purchase day, in days
    holdout_frequency integer,       -- distinct purchase days after the as_of day
    holdout_orders bigint,
    holdout_revenue double precision,
    holdout_monetary double precision -- mean value of those days; 0 if none
);

-- Adds one order to a customer_summary state (calendar days in the session's TimeZone, unit day).
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Adds one order to a customer_summary state, with a time unit ('day', 'week' or 'month').
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_unit_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Adds one order to a customer_summary state, with a time unit and the time zone of the calendar days.
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_zone_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Merges two partial customer_summary states (parallel workers); as_of, unit and zone must agree.
CREATE FUNCTION customer_summary_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A customer_summary state as bytes, for parallel workers.
CREATE FUNCTION customer_summary_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A customer_summary state from its bytes, validated before use.
CREATE FUNCTION customer_summary_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The customer_summary_result of a state; NULL when no order was counted.
CREATE FUNCTION customer_summary_final(internal) RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- customer_summary(order_ts, amount, as_of): the summary of one customer's orders (use with GROUP BY customer),
-- in days, calendar days taken in the session's TimeZone. Orders of days after as_of's day are the holdout.
-- as_of must be the same on every row of a group; orders with a NULL time or amount are ignored.
CREATE AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                  as_of timestamp with time zone) (
    SFUNC = customer_summary_accum,
    STYPE = internal,
    SSPACE = 160,
    COMBINEFUNC = customer_summary_combine,
    SERIALFUNC = customer_summary_serialize,
    DESERIALFUNC = customer_summary_deserialize,
    FINALFUNC = customer_summary_final,
    PARALLEL = SAFE
);

-- customer_summary(order_ts, amount, as_of, unit): as above with recency and t in 'day', 'week' or 'month'
-- (30.4375 days).
CREATE AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                  as_of timestamp with time zone, unit text) (
    SFUNC = customer_summary_accum,
    STYPE = internal,
    SSPACE = 160,
    COMBINEFUNC = customer_summary_combine,
    SERIALFUNC = customer_summary_serialize,
    DESERIALFUNC = customer_summary_deserialize,
    FINALFUNC = customer_summary_final,
    PARALLEL = SAFE
);

-- customer_summary(order_ts, amount, as_of, unit, time_zone): calendar days taken in the given time zone (any
-- name AT TIME ZONE accepts), independent of the session's TimeZone.
CREATE AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                  as_of timestamp with time zone, unit text, time_zone text) (
    SFUNC = customer_summary_accum,
    STYPE = internal,
    SSPACE = 160,
    COMBINEFUNC = customer_summary_combine,
    SERIALFUNC = customer_summary_serialize,
    DESERIALFUNC = customer_summary_deserialize,
    FINALFUNC = customer_summary_final,
    PARALLEL = SAFE
);
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

-- What rfm_thresholds returns: buckets - 1 breakpoints per dimension (data values; a value scores 1 + the
-- number of breakpoints it is strictly better than), and the number of customers they come from.
CREATE TYPE rfm_breakpoints AS (
    buckets integer,
    recency double precision[],    -- days_since_last, non-increasing (fewer days is better)
    frequency double precision[],  -- non-decreasing
    monetary double precision[],   -- non-decreasing
    customers bigint
);

-- rfm_score(days_since_last, frequency, monetary) OVER (...): each row scored 1-5 on each dimension against the
-- rows of its partition with no NULL input (rows with a NULL input get NULL). The frame is irrelevant.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- rfm_score(days_since_last, frequency, monetary, buckets) OVER (...): as above with 2-9 buckets; the segment
-- is NULL unless buckets = 5.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision, buckets integer) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_buckets_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- rfm_score(days_since_last, frequency, monetary, thresholds): one customer scored against stored breakpoints;
-- equal to the window form on the data the breakpoints come from.
CREATE FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                          monetary double precision, thresholds rfm_breakpoints) RETURNS rfm_result
    AS 'MODULE_PATHNAME', 'loyalty_rfm_score_breakpoints' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Adds one customer to an rfm_thresholds state (rows with a NULL input are skipped).
CREATE FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds one customer to an rfm_thresholds state with a number of buckets (2-9, the same on every row).
CREATE FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision, integer)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_buckets_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Merges two partial rfm_thresholds states (parallel workers).
CREATE FUNCTION rfm_thresholds_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- An rfm_thresholds state as bytes, for parallel workers.
CREATE FUNCTION rfm_thresholds_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- An rfm_thresholds state from its bytes, validated before use.
CREATE FUNCTION rfm_thresholds_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The rfm_breakpoints of a state; NULL when no customer was counted.
CREATE FUNCTION rfm_thresholds_final(internal) RETURNS rfm_breakpoints
    AS 'MODULE_PATHNAME', 'loyalty_rfm_thresholds_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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

-- rfm_segment(r, f, m): the named segment of 1-5 scores (Champions ... Lost); a score outside 1-5 is 22003.
CREATE FUNCTION rfm_segment(r integer, f integer, m integer) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- rfm_segment(code): the named segment of a three-digit code such as '545'.
CREATE FUNCTION rfm_segment(code text) RETURNS text
    AS 'MODULE_PATHNAME', 'loyalty_rfm_segment_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- ---------------------------------------------------------------------------------------------------------------
-- Period retention and churn over customer activity spans [active_from, active_until) (NULL active_until: still
-- active). Rates are fractions (0.9, not 90). A customer counts at a period boundary t when active_from < t <
-- active_until. State: float8[] [at_start, at_end, new_customers, churned, period_start, period_end] (bounds as
-- Unix epoch seconds), plus [inactivity months, days, microseconds] for the non-contractual overloads.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one activity span to a retention state (rows with a NULL active_from or period bound are ignored).
CREATE FUNCTION retention_accum(double precision[], timestamptz, timestamptz, timestamptz, timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Removes one activity span from a retention state: the inverse transition for sliding windows.
CREATE FUNCTION retention_retract(double precision[], timestamptz, timestamptz, timestamptz, timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_retract' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds one customer (first order, last order, inactivity interval) to a non-contractual retention state.
CREATE FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                           timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_accum' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- Removes one customer from a non-contractual retention state (inverse transition).
CREATE FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                             timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_retract' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- Merges two partial retention states of the same kind (their period bounds and inactivity must agree).
CREATE FUNCTION retention_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The retention rate (E - N)/S of a retention state, NULL when nobody was active at the period start.
CREATE FUNCTION retention_rate_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_retention_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The churn rate C/S of a retention state, NULL when nobody was active at the period start.
CREATE FUNCTION churn_rate_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- What retention_stats returns: the period, the counts behind the rates, the rates (fractions) and a 95%
-- Wilson interval of the churn rate. Rates and interval are NULL when at_start is 0.
CREATE TYPE retention_stats AS (
    period_start timestamptz,
    period_end timestamptz,
    at_start bigint,
    at_end bigint,
    new_customers bigint,
    churned bigint,
    retention_rate double precision,
    churn_rate double precision,
    churn_ci_low double precision,
    churn_ci_high double precision
);

-- The retention_stats composite of a retention state, NULL when it saw no row.
CREATE FUNCTION retention_stats_final(double precision[]) RETURNS retention_stats
    AS 'MODULE_PATHNAME', 'loyalty_retention_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- retention_rate(active_from, active_until, period_start, period_end): (E - N)/S, the share of the customers
-- active at period_start still active at period_end (customer retention rate, as a fraction).
CREATE AGGREGATE retention_rate(timestamptz, timestamptz, timestamptz, timestamptz) (
    SFUNC = retention_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = retention_rate_final,
    MSFUNC = retention_accum,
    MINVFUNC = retention_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN}',
    MFINALFUNC = retention_rate_final,
    PARALLEL = SAFE
);

-- churn_rate(active_from, active_until, period_start, period_end): the share of the customers active at
-- period_start whose span ended inside the period (1 - retention_rate).
CREATE AGGREGATE churn_rate(timestamptz, timestamptz, timestamptz, timestamptz) (
    SFUNC = retention_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = churn_rate_final,
    MSFUNC = retention_accum,
    MINVFUNC = retention_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN}',
    MFINALFUNC = churn_rate_final,
    PARALLEL = SAFE
);

-- retention_stats(active_from, active_until, period_start, period_end): the retention_stats composite.
CREATE AGGREGATE retention_stats(timestamptz, timestamptz, timestamptz, timestamptz) (
    SFUNC = retention_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = retention_stats_final,
    MSFUNC = retention_accum,
    MINVFUNC = retention_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN}',
    MFINALFUNC = retention_stats_final,
    PARALLEL = SAFE
);

-- retention_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual retention; a
-- customer is active from the first order until last_order + inactivity. Rows with a NULL are ignored.
CREATE AGGREGATE retention_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) (
    SFUNC = retention_inactivity_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = retention_rate_final,
    MSFUNC = retention_inactivity_accum,
    MINVFUNC = retention_inactivity_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    MFINALFUNC = retention_rate_final,
    PARALLEL = SAFE
);

-- churn_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual churn; a customer
-- churns once last_order + inactivity has passed.
CREATE AGGREGATE churn_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) (
    SFUNC = retention_inactivity_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = churn_rate_final,
    MSFUNC = retention_inactivity_accum,
    MINVFUNC = retention_inactivity_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    MFINALFUNC = churn_rate_final,
    PARALLEL = SAFE
);

-- retention_stats(first_order, last_order, inactivity, period_start, period_end): the non-contractual
-- retention_stats composite.
CREATE AGGREGATE retention_stats(timestamptz, timestamptz, interval, timestamptz, timestamptz) (
    SFUNC = retention_inactivity_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = retention_combine,
    FINALFUNC = retention_stats_final,
    MSFUNC = retention_inactivity_accum,
    MINVFUNC = retention_inactivity_retract,
    MSTYPE = double precision[],
    MINITCOND = '{0,0,0,0,NaN,NaN,NaN,NaN,NaN}',
    MFINALFUNC = retention_stats_final,
    PARALLEL = SAFE
);

-- ---------------------------------------------------------------------------------------------------------------
-- retention_series: the retention_stats of consecutive periods [first + k*length, first + (k+1)*length),
-- k = 0..periods-1, in one scan. State: float8[] [run_starts 0..P, run_ends 0..P, first_period_start (epoch
-- seconds), period_length months, days, microseconds, P] (see src/core/retention.hpp); NULL before the first row.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one activity span to a series state (rows with a NULL active_from or parameter are ignored).
CREATE FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                       integer)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Removes one activity span from a series state (inverse transition).
CREATE FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                         integer)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_retract' LANGUAGE C STABLE PARALLEL SAFE;

-- Merges two partial series states (their periods must agree).
CREATE FUNCTION retention_series_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The retention_stats of every period of a series state, in order.
CREATE FUNCTION retention_series_final(double precision[]) RETURNS retention_stats[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- retention_series(active_from, active_until, first_period_start, period_length, periods): an array of
-- retention_stats, one a period, equal to retention_stats computed period by period; NULL without rows.
CREATE AGGREGATE retention_series(timestamptz, timestamptz, timestamptz, interval, integer) (
    SFUNC = retention_series_accum,
    STYPE = double precision[],
    COMBINEFUNC = retention_series_combine,
    FINALFUNC = retention_series_final,
    MSFUNC = retention_series_accum,
    MINVFUNC = retention_series_retract,
    MSTYPE = double precision[],
    MFINALFUNC = retention_series_final,
    PARALLEL = SAFE
);
-- ---------------------------------------------------------------------------------------------------------------
-- Cohort building blocks. Periods are calendar periods (day, week = ISO week from Monday, month, quarter, year)
-- in the session's time zone, counted as date_trunc does. Rates are fractions.
-- ---------------------------------------------------------------------------------------------------------------

-- cohort_period(event_ts, unit) OVER (PARTITION BY customer ...): the number of calendar periods from the
-- partition's earliest event_ts to this row's (0 in the customer's first period). NULL event_ts: NULL.
CREATE FUNCTION cohort_period(timestamptz, text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period_window' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

-- cohort_period(cohort_start, event_ts, unit): the number of calendar periods from cohort_start to event_ts.
CREATE FUNCTION cohort_period(timestamptz, timestamptz, text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- One cell of the cohort x period retention matrix: customers active in period k (retained) and in period k or
-- any later one (retained_or_later), each also as a fraction of the cohort.
CREATE TYPE cohort_retention_cell AS (
    period integer,
    cohort_size bigint,
    retained bigint,
    rate double precision,
    retained_or_later bigint,
    rate_or_later double precision
);

-- Adds one customer, given the array of the periods she was active in, to a cohort_retention state
-- float8[] [cohort_size, retained_0, last_0, retained_1, last_1, ...].
CREATE FUNCTION cohort_retention_accum(double precision[], integer[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial cohort_retention states.
CREATE FUNCTION cohort_retention_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The matrix row of a cohort_retention state: one cell per period from 0 to the last period reached.
CREATE FUNCTION cohort_retention_final(double precision[]) RETURNS cohort_retention_cell[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- cohort_retention(periods): over one row per customer of a cohort (GROUP BY cohort), the array of
-- cohort_retention_cell for periods 0, 1, ... Duplicate and NULL periods are ignored; no rows give NULL.
CREATE AGGREGATE cohort_retention(integer[]) (
    SFUNC = cohort_retention_accum,
    STYPE = double precision[],
    INITCOND = '{0}',
    COMBINEFUNC = cohort_retention_combine,
    FINALFUNC = cohort_retention_final,
    PARALLEL = SAFE
);
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

-- Adds one customer (tenure, churned) to an sbg_fit state: float8[] [churned_1, censored_1, churned_2, ...].
CREATE FUNCTION sbg_fit_accum(double precision[], integer, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial sbg_fit states.
CREATE FUNCTION sbg_fit_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The maximum-likelihood sbg_model of an sbg_fit state, NULL without customers.
CREATE FUNCTION sbg_fit_final(double precision[]) RETURNS sbg_model
    AS 'MODULE_PATHNAME', 'loyalty_sbg_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- sbg_fit(tenure, churned): fits the sBG model to one row per customer: tenure = periods the customer was
-- active (>= 1), churned = lost at the end of them (false: still active, censored). NULL rows are ignored.
CREATE AGGREGATE sbg_fit(integer, boolean) (
    SFUNC = sbg_fit_accum,
    STYPE = double precision[],
    INITCOND = '{}',
    COMBINEFUNC = sbg_fit_combine,
    FINALFUNC = sbg_fit_final,
    PARALLEL = SAFE
);

-- sbg_survival(model, t): S(t) = B(alpha, beta + t) / B(alpha, beta), the share still active after t periods.
CREATE FUNCTION sbg_survival(sbg_model, integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_survival' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- sbg_retention_rate(model, t): r(t) = (beta + t - 1) / (alpha + beta + t - 1), the retention rate at renewal t.
CREATE FUNCTION sbg_retention_rate(sbg_model, integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_retention_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- sbg_churn_probability(model, t): P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta).
CREATE FUNCTION sbg_churn_probability(sbg_model, integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- sbg_discounted_expected_residual_lifetime(model, n, discount_rate): the expected number of further payments,
-- discounted per period, of a customer who has made n - 1 renewals (n = 1: new), FH 2010 eq. (6).
CREATE FUNCTION sbg_discounted_expected_residual_lifetime(sbg_model, integer, double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_discounted_expected_residual_lifetime'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- ---------------------------------------------------------------------------------------------------------------
-- Retention lift of a campaign: treated against control customers. State: float8[] [treated, treated_retained,
-- control, control_retained].
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one customer (treated or control, retained or not) to a retention_lift state.
CREATE FUNCTION retention_lift_accum(double precision[], boolean, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Removes one customer from a retention_lift state (inverse transition for sliding windows).
CREATE FUNCTION retention_lift_retract(double precision[], boolean, boolean) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_retract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial retention_lift states.
CREATE FUNCTION retention_lift_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

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

-- The retention_lift_result of a state, NULL without customers.
CREATE FUNCTION retention_lift_final(double precision[]) RETURNS retention_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_retention_lift_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- retention_lift(treated, retained): did the customers who got the campaign stay more than those who did not?
-- One row per customer; rows with a NULL are ignored.
CREATE AGGREGATE retention_lift(boolean, boolean) (
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
-- ---------------------------------------------------------------------------------------------------------------
-- Fitted "buy till you die" models: parameters under the literature's names, then the fit's diagnostics.
-- A model is a plain composite value: store it in a table, read its fields from a BI tool, pass it to the
-- prediction functions. log_likelihood is the total over customers, in the data's own time unit.
-- ---------------------------------------------------------------------------------------------------------------

-- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
CREATE TYPE bgnbd_model AS (
    r double precision, alpha double precision, a double precision, b double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);

-- MBG/NBD (Batislam, Denizel & Filiztekin 2007).
CREATE TYPE mbgnbd_model AS (
    r double precision, alpha double precision, a double precision, b double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);

-- Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
CREATE TYPE pareto_nbd_model AS (
    r double precision, alpha double precision, s double precision, beta double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);

-- BG/BB, discrete time (Fader, Hardie & Shang 2010).
CREATE TYPE bgbb_model AS (
    alpha double precision, beta double precision, gamma double precision, delta double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);

-- Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV").
CREATE TYPE gamma_gamma_model AS (
    p double precision, q double precision, v double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
-- ---------------------------------------------------------------------------------------------------------------
-- Model fits: aggregates that fit the "buy till you die" models by maximum likelihood and return the model
-- composites of 400_model_types.sql. State: `internal`, the distinct input rows with their customer counts
-- (memory grows with distinct rows, not customers), serialised to bytea for parallel workers.
-- ---------------------------------------------------------------------------------------------------------------

-- Merges two partial model-fit states (parallel workers).
CREATE FUNCTION model_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A model-fit state as bytes, to pass it between processes.
CREATE FUNCTION model_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A model-fit state from model_fit_serialize's bytes, validated before it is used.
CREATE FUNCTION model_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Adds a customer (frequency, recency, t) to a BG/NBD fit state; rows with a NULL are skipped.
CREATE FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds a customer to a penalised BG/NBD fit state (the penalizer must be the same on every row).
CREATE FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Fits BG/NBD to the rows of a state.
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgnbd_fit(frequency, recency, t): the BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum likelihood.
CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- bgnbd_fit(frequency, recency, t, penalizer): BG/NBD with an L2 penalty on the parameters, as lifetimes.
CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision,
                           penalizer double precision) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer (frequency, recency, t) to an MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds a customer to a penalised MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Fits MBG/NBD to the rows of a state.
CREATE FUNCTION mbgnbd_fit_final(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mbgnbd_fit(frequency, recency, t): the MBG/NBD model (Batislam, Denizel & Filiztekin 2007).
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- mbgnbd_fit(frequency, recency, t, penalizer): MBG/NBD with an L2 penalty on the parameters.
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision,
                            penalizer double precision) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer (frequency, recency, t) to a Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds a customer to a penalised Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision,
                                     double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Fits Pareto/NBD to the rows of a state.
CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pareto_nbd_fit(frequency, recency, t): the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
CREATE AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- pareto_nbd_fit(frequency, recency, t, penalizer): Pareto/NBD with an L2 penalty on the parameters.
CREATE AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision,
                                penalizer double precision) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a donor (frequency, recency, n_periods) to a BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds `count` identical donors (a pre-aggregated row) to a BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds `count` identical donors to a penalised BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision,
                               double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Fits BG/BB to the rows of a state.
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgbb_fit(frequency, recency, n_periods): the discrete-time BG/BB model (Fader, Hardie & Shang 2010).
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- bgbb_fit(frequency, recency, n_periods, count): BG/BB on pre-aggregated rows, each standing for `count` donors.
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                          count double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- bgbb_fit(frequency, recency, n_periods, count, penalizer): BG/BB with an L2 penalty (count 1 for plain rows).
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                          count double precision, penalizer double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer (frequency, monetary) to a Gamma-Gamma fit state; frequency 0 is skipped.
CREATE FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds a customer to a penalised Gamma-Gamma fit state.
CREATE FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Fits Gamma-Gamma to the rows of a state.
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- gamma_gamma_fit(frequency, monetary): the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV")
-- fitted to the repeat buyers; monetary is the mean value of the repeat transactions.
CREATE AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- gamma_gamma_fit(frequency, monetary, penalizer): Gamma-Gamma with an L2 penalty on the parameters.
CREATE AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision,
                                 penalizer double precision) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- ---------------------------------------------------------------------------------------------------------------
-- The same fits on customer_summary composites (200_customer_summary.sql): bgnbd_fit(s) reads (s).frequency,
-- (s).recency and (s).t. Customers without calibration data (every order after as_of: NULL fields) and
-- customers whose first purchase is on the as_of day (t = 0: nothing observed yet) are skipped.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds a customer_summary composite to a BG/NBD fit state.
CREATE FUNCTION bgnbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- bgnbd_fit(summary): BG/NBD fitted to customer_summary composites.
CREATE AGGREGATE bgnbd_fit(summary customer_summary_result) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer_summary composite to an MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- mbgnbd_fit(summary): MBG/NBD fitted to customer_summary composites.
CREATE AGGREGATE mbgnbd_fit(summary customer_summary_result) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer_summary composite to a Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- pareto_nbd_fit(summary): Pareto/NBD fitted to customer_summary composites.
CREATE AGGREGATE pareto_nbd_fit(summary customer_summary_result) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- Adds a customer_summary composite (frequency, monetary) to a Gamma-Gamma fit state.
CREATE FUNCTION gamma_gamma_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- gamma_gamma_fit(summary): Gamma-Gamma fitted to the repeat buyers among customer_summary composites.
CREATE AGGREGATE gamma_gamma_fit(summary customer_summary_result) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);

-- ---------------------------------------------------------------------------------------------------------------
-- Log-likelihood and gradient at given parameters, as aggregates with a fixed-size float8[] state
-- [model code, customers, log_likelihood, gradient..., parameters...]: one iteration of an external optimiser
-- runs as a partial aggregate on every worker or node, and only that small array moves.
-- ---------------------------------------------------------------------------------------------------------------

-- What the log-likelihood aggregates return: the total log-likelihood, its gradient with respect to the model's
-- parameters (in the model composite's order), and the number of customers.
CREATE TYPE model_likelihood AS (
    log_likelihood double precision,
    gradient double precision[],
    customers bigint
);

-- Merges two partial log-likelihood states (same model, same parameters).
CREATE FUNCTION model_likelihood_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_model_likelihood_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The model_likelihood of a state; NULL when it holds no customer.
CREATE FUNCTION model_likelihood_final(double precision[]) RETURNS model_likelihood
    AS 'MODULE_PATHNAME', 'loyalty_model_likelihood_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Adds a customer's BG/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION bgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                       bgnbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgnbd_log_likelihood(frequency, recency, t, model): BG/NBD log-likelihood and gradient d/d(r, alpha, a, b)
-- at the model's parameters (its other fields are ignored; the model must be the same on every row).
CREATE AGGREGATE bgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                      model bgnbd_model) (
    SFUNC = bgnbd_likelihood_accum, STYPE = double precision[], INITCOND = '{1,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);

-- Adds a customer's MBG/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION mbgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                        mbgnbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mbgnbd_log_likelihood(frequency, recency, t, model): MBG/NBD log-likelihood and gradient d/d(r, alpha, a, b).
CREATE AGGREGATE mbgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                       model mbgnbd_model) (
    SFUNC = mbgnbd_likelihood_accum, STYPE = double precision[], INITCOND = '{2,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);

-- Adds a customer's Pareto/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION pareto_nbd_likelihood_accum(double precision[], double precision, double precision,
                                            double precision, pareto_nbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pareto_nbd_log_likelihood(frequency, recency, t, model): Pareto/NBD log-likelihood and gradient
-- d/d(r, alpha, s, beta).
CREATE AGGREGATE pareto_nbd_log_likelihood(frequency double precision, recency double precision,
                                           t double precision, model pareto_nbd_model) (
    SFUNC = pareto_nbd_likelihood_accum, STYPE = double precision[], INITCOND = '{3,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);

-- Adds a donor's BG/BB log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                      bgbb_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Adds `count` identical donors' BG/BB log-likelihood and gradient to a state.
CREATE FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                      double precision, bgbb_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_count_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgbb_log_likelihood(frequency, recency, n_periods, model): BG/BB log-likelihood and gradient
-- d/d(alpha, beta, gamma, delta).
CREATE AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                     n_periods double precision, model bgbb_model) (
    SFUNC = bgbb_likelihood_accum, STYPE = double precision[], INITCOND = '{4,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);

-- bgbb_log_likelihood(frequency, recency, n_periods, count, model): the same on pre-aggregated rows.
CREATE AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                     n_periods double precision, count double precision, model bgbb_model) (
    SFUNC = bgbb_likelihood_accum, STYPE = double precision[], INITCOND = '{4,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);

-- Adds a customer's Gamma-Gamma log-likelihood and gradient to a state (frequency 0 adds nothing).
CREATE FUNCTION gamma_gamma_likelihood_accum(double precision[], double precision, double precision,
                                             gamma_gamma_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- gamma_gamma_log_likelihood(frequency, monetary, model): Gamma-Gamma log-likelihood and gradient
-- d/d(p, q, v) over the repeat buyers.
CREATE AGGREGATE gamma_gamma_log_likelihood(frequency double precision, monetary double precision,
                                            model gamma_gamma_model) (
    SFUNC = gamma_gamma_likelihood_accum, STYPE = double precision[], INITCOND = '{5,0,0,0,0,0,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
-- ---------------------------------------------------------------------------------------------------------------
-- Customers simulated from the "buy till you die" models with known parameters (the project's own generator,
-- src/core/customer_simulator.hpp): for parameter-recovery tests, demos and benchmarks. Deterministic: the
-- output depends only on the arguments (the seed included). Columns: customer_id (1..customers), frequency,
-- recency, t (n_periods for BG/BB), monetary (the mean repeat spend under the Gamma-Gamma model when p, q, v
-- are given, 0 for customers without repeat purchases; NULL otherwise) and alive (the simulated truth at the
-- end of the observation period). At most 10 million customers per call.
-- ---------------------------------------------------------------------------------------------------------------

-- bgnbd_simulate(r, alpha, a, b, t, customers, seed): BG/NBD customers observed for t time units.
CREATE FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                               t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                               t double precision, customers bigint, seed bigint,
                               p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mbgnbd_simulate(r, alpha, a, b, t, customers, seed): MBG/NBD customers observed for t time units.
CREATE FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mbgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                t double precision, customers bigint, seed bigint,
                                p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed): Pareto/NBD customers observed for t time units.
CREATE FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                    beta double precision, t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                    beta double precision, t double precision, customers bigint, seed bigint,
                                    p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed): BG/BB customers over n_periods
-- transaction opportunities.
CREATE FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                              delta double precision, n_periods integer, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision,
                  n_periods double precision, monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed, p, q, v): the same with Gamma-Gamma
-- spend.
CREATE FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                              delta double precision, n_periods integer, customers bigint, seed bigint,
                              p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision,
                  n_periods double precision, monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- ---------------------------------------------------------------------------------------------------------------
-- Predictions of the fitted "buy till you die" models (docs/predictions_and_clv.md). Every function takes the
-- model composite first (bgnbd_model, mbgnbd_model, pareto_nbd_model, bgbb_model; gamma_gamma_model for
-- spend), then the customer's summary in the model's time unit: frequency = repeat purchases, recency = time of
-- the last one since the first, t = time since the first purchase (BG/BB: opportunities, n_periods). Bad
-- summaries are errors 22023 naming the values; a NULL argument gives NULL. The model is read once per query,
-- not per row.
-- The window forms at the end fit BG/NBD on their partition and score each of its rows.
-- ---------------------------------------------------------------------------------------------------------------

-- BG/NBD P(alive at t | frequency, recency, t) (Fader, Hardie & Lee 2005 note "Computing P(alive)"); 1 when
-- frequency = 0.
CREATE FUNCTION p_alive(model bgnbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model bgnbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD expected purchases in (t, t + horizon] given the customer's history (FHL 2005 eq. 10).
CREATE FUNCTION expected_purchases(model bgnbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD expected repeat purchases in (0, t] of a customer just acquired, the population mean (FHL 2005 eq. 9).
CREATE FUNCTION expected_purchases_unconditional(model bgnbd_model, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD probability that a customer just acquired makes exactly k repeat purchases in (0, t] (FHL 2005 eq. 8).
CREATE FUNCTION probability_of_purchases(model bgnbd_model, t double precision, k integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- MBG/NBD P(alive) (Batislam, Denizel & Filiztekin 2007); below 1 also when frequency = 0.
CREATE FUNCTION p_alive(model mbgnbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- MBG/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model mbgnbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- MBG/NBD expected purchases in (t, t + horizon] given the customer's history.
CREATE FUNCTION expected_purchases(model mbgnbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- MBG/NBD expected repeat purchases in (0, t] of a customer just acquired.
CREATE FUNCTION expected_purchases_unconditional(model mbgnbd_model, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- MBG/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired.
CREATE FUNCTION probability_of_purchases(model mbgnbd_model, t double precision, k integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Pareto/NBD P(alive at t | frequency, recency, t) (Fader & Hardie 2005 note, section 5).
CREATE FUNCTION p_alive(model pareto_nbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Pareto/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model pareto_nbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Pareto/NBD expected purchases in (t, t + horizon] given the customer's history (Fader & Hardie 2005, section 6).
CREATE FUNCTION expected_purchases(model pareto_nbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Pareto/NBD expected repeat purchases in (0, t] of a customer just acquired (Fader & Hardie 2005, section 4).
CREATE FUNCTION expected_purchases_unconditional(model pareto_nbd_model, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Pareto/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired (Fader & Hardie 2006).
CREATE FUNCTION probability_of_purchases(model pareto_nbd_model, t double precision, k integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/BB P(alive at opportunity n_periods + 1 | frequency, recency, n_periods) (Fader, Hardie & Shang 2010,
-- eq. 11); all three are whole numbers of opportunities.
CREATE FUNCTION p_alive(model bgbb_model, frequency double precision, recency double precision,
                        n_periods double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/BB churn probability: 1 - P(alive at opportunity n_periods + 1).
CREATE FUNCTION churn_probability(model bgbb_model, frequency double precision, recency double precision,
                                  n_periods double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/BB expected transactions in the next future_periods opportunities given the history (FHS 2010 eq. 13).
CREATE FUNCTION expected_purchases(model bgbb_model, frequency double precision, recency double precision,
                                   n_periods double precision, future_periods double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/BB expected transactions in the first n_periods opportunities of a customer just acquired (FHS eq. 8).
CREATE FUNCTION expected_purchases_unconditional(model bgbb_model, n_periods double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/BB probability of exactly k transactions in n_periods opportunities for a customer just acquired (FHS eq. 7).
CREATE FUNCTION probability_of_purchases(model bgbb_model, n_periods double precision, k integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Gamma-Gamma expected average spend per transaction of a customer with `frequency` repeat purchases of mean
-- value `monetary` (Fader, Hardie & Lee 2005, "RFM and CLV"); frequency 0 gives the population mean p v/(q-1).
CREATE FUNCTION expected_spend(model gamma_gamma_model, frequency double precision, monetary double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Window form: BG/NBD fitted on the whole partition (once), P(alive) of each row. NULL rows get NULL and take
-- no part in the fit; the frame clause is ignored.
CREATE FUNCTION p_alive(frequency double precision, recency double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Window form: BG/NBD fitted on the whole partition (once), 1 - P(alive) of each row.
CREATE FUNCTION churn_probability(frequency double precision, recency double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
-- ---------------------------------------------------------------------------------------------------------------
-- Customer lifetime value (docs/predictions_and_clv.md): the discounted value of the expected purchases over
-- `horizon` whole periods of `period_length` time units (the data's own unit; default 1: one unit a period):
--   CLV = sum_{i=1..horizon} E[M] (E[X(t, t + i L)] - E[X(t, t + (i-1) L)]) / (1 + discount_rate)^i
-- with E[M] the Gamma-Gamma expected spend (lifetimes' customer_lifetime_value with the period made explicit).
-- ---------------------------------------------------------------------------------------------------------------

-- CLV with a BG/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- CLV with an MBG/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- CLV with a Pareto/NBD transaction model and a Gamma-Gamma spend model.
CREATE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- CLV with a BG/BB transaction model (t = n_periods and period_length in whole opportunities) and Gamma-Gamma.
CREATE FUNCTION clv_estimate(transaction_model bgbb_model, spend_model gamma_gamma_model,
                             frequency double precision, recency double precision, n_periods double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Window form: BG/NBD and Gamma-Gamma (on the rows with frequency > 0) fitted once on the whole partition,
-- then the CLV of each row. Rows with a NULL argument get NULL and take no part in the fits.
CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Window form with period_length = 1 time unit of the data.
CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
