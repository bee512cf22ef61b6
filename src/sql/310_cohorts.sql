-- ---------------------------------------------------------------------------------------------------------------
-- Cohort building blocks. Periods are calendar periods (day, week = ISO week from Monday, month, quarter, year)
-- in the session's time zone, or in the zone given to the `zone` form, counted as date_trunc does. Rates are
-- fractions.
-- ---------------------------------------------------------------------------------------------------------------

-- cohort_period(event_ts, unit) OVER (PARTITION BY customer ...): the number of calendar periods from the
-- partition's earliest event_ts to this row's (0 in the customer's first period). NULL event_ts: NULL.
CREATE FUNCTION cohort_period(event_ts timestamptz, unit text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period_window' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cohort_period(timestamptz, text) IS
    'cohort_period(event_ts, unit) OVER (PARTITION BY customer ...): the number of calendar periods from the '
    'partition''s earliest event_ts to this row''s (0 in the customer''s first period). NULL event_ts: NULL.';

-- cohort_period(cohort_start, event_ts, unit): the number of calendar periods from cohort_start to event_ts.
CREATE FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_period(timestamptz, timestamptz, text) IS
    'cohort_period(cohort_start, event_ts, unit): the number of calendar periods from cohort_start to '
    'event_ts.';

-- cohort_period(cohort_start, event_ts, unit, zone): calendar periods from cohort_start to event_ts in the time
-- zone `zone` (any name AT TIME ZONE accepts) instead of the session's TimeZone. It is also the window form's
-- zone form: cohort_period(min(event_ts) OVER (PARTITION BY customer), event_ts, unit, zone). (A window
-- overload cohort_period(timestamptz, text, text) would capture the calls above whose event_ts is an untyped
-- literal.)
CREATE FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text, time_zone text)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text, time_zone text) IS
    'cohort_period(cohort_start, event_ts, unit, zone): calendar periods from cohort_start to event_ts in the '
    'time zone `zone` (any name AT TIME ZONE accepts) instead of the session''s TimeZone. It is also the '
    'window form''s zone form: cohort_period(min(event_ts) OVER (PARTITION BY customer), event_ts, unit, '
    'zone). (A window overload cohort_period(timestamptz, text, text) would capture the calls above whose '
    'event_ts is an untyped literal.)';

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
COMMENT ON TYPE cohort_retention_cell IS
    'One cell of the cohort x period retention matrix: customers active in period k (retained) and in period '
    'k or any later one (retained_or_later), each also as a fraction of the cohort.';

-- Adds one customer, given the array of the periods she was active in, to a cohort_retention state
-- float8[] [cohort_size, retained_0, last_0, retained_1, last_1, ...].
CREATE FUNCTION cohort_retention_accum(double precision[], integer[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_retention_accum(double precision[], integer[]) IS
    'Support function of aggregate cohort_retention. Adds one customer, given the array of the periods she '
    'was active in, to a cohort_retention state float8[] [cohort_size, retained_0, last_0, retained_1, '
    'last_1, ...].';

-- Merges two partial cohort_retention states.
CREATE FUNCTION cohort_retention_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_retention_combine(double precision[], double precision[]) IS
    'Support function of aggregate cohort_retention. Merges two partial cohort_retention states.';

-- The matrix row of a cohort_retention state: one cell per period from 0 to the last period reached.
CREATE FUNCTION cohort_retention_final(double precision[]) RETURNS cohort_retention_cell[]
    AS 'MODULE_PATHNAME', 'loyalty_cohort_retention_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cohort_retention_final(double precision[]) IS
    'Support function of aggregate cohort_retention. The matrix row of a cohort_retention state: one cell per '
    'period from 0 to the last period reached.';

-- cohort_retention(periods): over one row per customer of a cohort (GROUP BY cohort), the array of
-- cohort_retention_cell for periods 0, 1, ... Duplicate and NULL periods are ignored; no rows give NULL.
CREATE AGGREGATE cohort_retention(periods integer[]) (
    SFUNC = cohort_retention_accum,
    STYPE = double precision[],
    INITCOND = '{0}',
    COMBINEFUNC = cohort_retention_combine,
    FINALFUNC = cohort_retention_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE cohort_retention(integer[]) IS
    'cohort_retention(periods): over one row per customer of a cohort (GROUP BY cohort), the array of '
    'cohort_retention_cell for periods 0, 1, ... Duplicate and NULL periods are ignored; no rows give NULL.';
