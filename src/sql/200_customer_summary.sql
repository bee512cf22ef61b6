-- ---------------------------------------------------------------------------------------------------------------
-- customer_summary: one customer's order log reduced to frequency / recency / T / monetary, the input of the
-- "buy till you die" models, with lifetimes' summary_data_from_transaction_data conventions (daily periods).
-- State: internal (running order and amount totals and the customer's distinct order days), serialised to bytea.
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
COMMENT ON TYPE customer_summary_result IS
    'What customer_summary returns. Calibration period = orders on or before the as_of day; holdout = after '
    'it.';

-- Adds one order to a customer_summary state (calendar days in the session's TimeZone, unit day).
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state (calendar '
    'days in the session''s TimeZone, unit day).';

-- Adds one order to a customer_summary state, with a time unit ('day', 'week' or 'month').
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_unit_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone, text) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state, with a time '
    'unit (''day'', ''week'' or ''month'').';

-- Adds one order to a customer_summary state, with a time unit and the time zone of the calendar days.
CREATE FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                       timestamp with time zone, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_zone_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone, text, text) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state, with a time '
    'unit and the time zone of the calendar days.';

-- Merges two partial customer_summary states (parallel workers); as_of, unit and zone must agree.
CREATE FUNCTION customer_summary_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_combine(internal, internal) IS
    'Support function of aggregate customer_summary. Merges two partial customer_summary states (parallel '
    'workers); as_of, unit and zone must agree.';

-- A customer_summary state as bytes, for parallel workers.
CREATE FUNCTION customer_summary_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_serialize(internal) IS
    'Support function of aggregate customer_summary. A customer_summary state as bytes, for parallel workers.';

-- A customer_summary state from its bytes, validated before use.
CREATE FUNCTION customer_summary_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_deserialize(bytea, internal) IS
    'Support function of aggregate customer_summary. A customer_summary state from its bytes, validated '
    'before use.';

-- The customer_summary_result of a state; NULL when no order was counted.
CREATE FUNCTION customer_summary_final(internal) RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_final(internal) IS
    'Support function of aggregate customer_summary. The customer_summary_result of a state; NULL when no '
    'order was counted.';

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
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone) IS
    'customer_summary(order_ts, amount, as_of): the summary of one customer''s orders (use with GROUP BY '
    'customer), in days, calendar days taken in the session''s TimeZone. Orders of days after as_of''s day '
    'are the holdout. as_of must be the same on every row of a group; orders with a NULL time or amount are '
    'ignored.';

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
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone, unit text) IS
    'customer_summary(order_ts, amount, as_of, unit): as above with recency and t in ''day'', ''week'' or '
    '''month'' (30.4375 days).';

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
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone, unit text, time_zone text) IS
    'customer_summary(order_ts, amount, as_of, unit, time_zone): calendar days taken in the given time zone '
    '(any name AT TIME ZONE accepts), independent of the session''s TimeZone.';
