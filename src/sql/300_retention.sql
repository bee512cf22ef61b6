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
COMMENT ON FUNCTION retention_accum(double precision[], timestamptz, timestamptz, timestamptz, timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one activity span to a '
    'retention state (rows with a NULL active_from or period bound are ignored).';

-- Removes one activity span from a retention state: the inverse transition for sliding windows.
CREATE FUNCTION retention_retract(double precision[], timestamptz, timestamptz, timestamptz, timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_retract' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_retract(double precision[], timestamptz, timestamptz, timestamptz, timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one activity span '
    'from a retention state: the inverse transition for sliding windows.';

-- Adds one customer (first order, last order, inactivity interval) to a non-contractual retention state.
CREATE FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                           timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_accum' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                               timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one customer (first '
    'order, last order, inactivity interval) to a non-contractual retention state.';

-- Removes one customer from a non-contractual retention state (inverse transition).
CREATE FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                             timestamptz)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_retract' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                                 timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one customer from a '
    'non-contractual retention state (inverse transition).';

-- Merges two partial retention states of the same kind (their period bounds and inactivity must agree).
CREATE FUNCTION retention_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_combine(double precision[], double precision[]) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Merges two partial retention '
    'states of the same kind (their period bounds and inactivity must agree).';

-- The retention rate (E - N)/S of a retention state, NULL when nobody was active at the period start.
CREATE FUNCTION retention_rate_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_retention_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_rate_final(double precision[]) IS
    'Support function of aggregate retention_rate. The retention rate (E - N)/S of a retention state, NULL '
    'when nobody was active at the period start.';

-- The churn rate C/S of a retention state, NULL when nobody was active at the period start.
CREATE FUNCTION churn_rate_final(double precision[]) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_rate_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_rate_final(double precision[]) IS
    'Support function of aggregate churn_rate. The churn rate C/S of a retention state, NULL when nobody was '
    'active at the period start.';

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
COMMENT ON TYPE retention_stats IS
    'What retention_stats returns: the period, the counts behind the rates, the rates (fractions) and a 95% '
    'Wilson interval of the churn rate. Rates and interval are NULL when at_start is 0.';

-- The retention_stats composite of a retention state, NULL when it saw no row.
CREATE FUNCTION retention_stats_final(double precision[]) RETURNS retention_stats
    AS 'MODULE_PATHNAME', 'loyalty_retention_stats_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_stats_final(double precision[]) IS
    'Support function of aggregate retention_stats. The retention_stats composite of a retention state, NULL '
    'when it saw no row.';

-- retention_rate(active_from, active_until, period_start, period_end): (E - N)/S, the share of the customers
-- active at period_start still active at period_end (customer retention rate, as a fraction).
CREATE AGGREGATE retention_rate(active_from timestamptz, active_until timestamptz, period_start timestamptz,
                               period_end timestamptz) (
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
COMMENT ON AGGREGATE retention_rate(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'retention_rate(active_from, active_until, period_start, period_end): (E - N)/S, the share of the '
    'customers active at period_start still active at period_end (customer retention rate, as a fraction).';

-- churn_rate(active_from, active_until, period_start, period_end): the share of the customers active at
-- period_start whose span ended inside the period (1 - retention_rate).
CREATE AGGREGATE churn_rate(active_from timestamptz, active_until timestamptz, period_start timestamptz,
                           period_end timestamptz) (
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
COMMENT ON AGGREGATE churn_rate(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'churn_rate(active_from, active_until, period_start, period_end): the share of the customers active at '
    'period_start whose span ended inside the period (1 - retention_rate).';

-- retention_stats(active_from, active_until, period_start, period_end): the retention_stats composite.
CREATE AGGREGATE retention_stats(active_from timestamptz, active_until timestamptz, period_start timestamptz,
                                period_end timestamptz) (
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
COMMENT ON AGGREGATE retention_stats(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'retention_stats(active_from, active_until, period_start, period_end): the retention_stats composite.';

-- retention_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual retention; a
-- customer is active from the first order until last_order + inactivity. Rows with a NULL are ignored.
CREATE AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                               period_start timestamptz, period_end timestamptz) (
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
COMMENT ON AGGREGATE retention_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'retention_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual '
    'retention; a customer is active from the first order until last_order + inactivity. Rows with a NULL are '
    'ignored.';

-- churn_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual churn; a customer
-- churns once last_order + inactivity has passed.
CREATE AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                           period_start timestamptz, period_end timestamptz) (
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
COMMENT ON AGGREGATE churn_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'churn_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual churn; a '
    'customer churns once last_order + inactivity has passed.';

-- retention_stats(first_order, last_order, inactivity, period_start, period_end): the non-contractual
-- retention_stats composite.
CREATE AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
                                period_start timestamptz, period_end timestamptz) (
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
COMMENT ON AGGREGATE retention_stats(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'retention_stats(first_order, last_order, inactivity, period_start, period_end): the non-contractual '
    'retention_stats composite.';

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
COMMENT ON FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                           integer) IS
    'Support function of aggregate retention_series. Adds one activity span to a series state (rows with a '
    'NULL active_from or parameter are ignored).';

-- Removes one activity span from a series state (inverse transition).
CREATE FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                         integer)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_retract' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                             integer) IS
    'Support function of aggregate retention_series. Removes one activity span from a series state (inverse '
    'transition).';

-- Merges two partial series states (their periods must agree).
CREATE FUNCTION retention_series_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_series_combine(double precision[], double precision[]) IS
    'Support function of aggregate retention_series. Merges two partial series states (their periods must '
    'agree).';

-- The retention_stats of every period of a series state, in order.
CREATE FUNCTION retention_series_final(double precision[]) RETURNS retention_stats[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_final' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_series_final(double precision[]) IS
    'Support function of aggregate retention_series. The retention_stats of every period of a series state, '
    'in order.';

-- retention_series(active_from, active_until, first_period_start, period_length, periods): an array of
-- retention_stats, one a period, equal to retention_stats computed period by period; NULL without rows.
CREATE AGGREGATE retention_series(active_from timestamptz, active_until timestamptz, first_period_start timestamptz,
                                 period_length interval, periods integer) (
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
COMMENT ON AGGREGATE retention_series(timestamptz, timestamptz, timestamptz, interval, integer) IS
    'retention_series(active_from, active_until, first_period_start, period_length, periods): an array of '
    'retention_stats, one a period, equal to retention_stats computed period by period; NULL without rows.';

-- ---------------------------------------------------------------------------------------------------------------
-- Time-zone arguments (issue 13): the forms above whose calendar arithmetic (an inactivity interval or a
-- period_length with months or days, e.g. across a daylight-saving change or a month end) would read the
-- session's TimeZone, with the zone given instead (any name AT TIME ZONE accepts): equal to the form without it
-- under SET TimeZone = zone, and independent of the session's TimeZone (a distributed engine such as Citus does
-- not pass that setting to its nodes).
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one customer to a non-contractual retention state, last_order + inactivity counted in `zone`.
CREATE FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                           timestamptz, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_zone_accum' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                               timestamptz, text) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one customer to a '
    'non-contractual retention state, last_order + inactivity counted in `zone`.';

-- Removes one customer from a non-contractual retention state of the zone form (inverse transition).
CREATE FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                             timestamptz, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_zone_retract' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                                 timestamptz, text) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one customer from a '
    'non-contractual retention state of the zone form (inverse transition).';

-- retention_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual
-- retention with the inactivity's months and days counted in the time zone `zone`.
CREATE AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                period_start timestamptz, period_end timestamptz, time_zone text) (
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
COMMENT ON AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                    period_start timestamptz, period_end timestamptz, time_zone text) IS
    'retention_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual '
    'retention with the inactivity''s months and days counted in the time zone `zone`.';

-- churn_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual churn with
-- the inactivity counted in the time zone `zone`.
CREATE AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                            period_start timestamptz, period_end timestamptz, time_zone text) (
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
COMMENT ON AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                period_start timestamptz, period_end timestamptz, time_zone text) IS
    'churn_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual churn '
    'with the inactivity counted in the time zone `zone`.';

-- retention_stats(first_order, last_order, inactivity, period_start, period_end, zone): the non-contractual
-- retention_stats composite with the inactivity counted in the time zone `zone`.
CREATE AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
                                 period_start timestamptz, period_end timestamptz, time_zone text) (
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
COMMENT ON AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
                                     period_start timestamptz, period_end timestamptz, time_zone text) IS
    'retention_stats(first_order, last_order, inactivity, period_start, period_end, zone): the '
    'non-contractual retention_stats composite with the inactivity counted in the time zone `zone`.';

-- Adds one activity span to a series state of the zone form: [run_starts 0..P, run_ends 0..P, boundaries 1..P
-- (epoch seconds), zone key, first_period_start, period_length months, days, microseconds, P], the boundaries
-- first_period_start + k * period_length counted in `zone` (the final function has no zone argument).
CREATE FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                       integer, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                           integer, text) IS
    'Support function of aggregate retention_series. Adds one activity span to a series state of the zone '
    'form: [run_starts 0..P, run_ends 0..P, boundaries 1..P (epoch seconds), zone key, first_period_start, '
    'period_length months, days, microseconds, P], the boundaries first_period_start + k * period_length '
    'counted in `zone` (the final function has no zone argument).';

-- Removes one activity span from a series state of the zone form (inverse transition).
CREATE FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                         integer, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_zone_retract' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                             integer, text) IS
    'Support function of aggregate retention_series. Removes one activity span from a series state of the '
    'zone form (inverse transition).';

-- retention_series(active_from, active_until, first_period_start, period_length, periods, zone): as above, with
-- the periods' boundaries counted in the time zone `zone` (a NULL zone, like a NULL parameter: the row is
-- ignored).
CREATE AGGREGATE retention_series(active_from timestamptz, active_until timestamptz,
                                  first_period_start timestamptz, period_length interval, periods integer,
                                  time_zone text) (
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
COMMENT ON AGGREGATE retention_series(active_from timestamptz, active_until timestamptz,
                                      first_period_start timestamptz, period_length interval, periods integer,
                                      time_zone text) IS
    'retention_series(active_from, active_until, first_period_start, period_length, periods, zone): as above, '
    'with the periods'' boundaries counted in the time zone `zone` (a NULL zone, like a NULL parameter: the '
    'row is ignored).';
