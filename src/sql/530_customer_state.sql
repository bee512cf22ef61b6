-- ---------------------------------------------------------------------------------------------------------------
-- Real-time customer state (docs/customer_state.md): a small composite that one order updates in time independent
-- of the customer's number of orders, exact for late orders too, turned into a customer_summary_result at any
-- as_of on or after the last purchase day, and kept current by a trigger on an orders table.
-- ---------------------------------------------------------------------------------------------------------------

-- A customer's state: what its customer_summary needs. Calendar days in the session's TimeZone.
CREATE TYPE customer_state AS (
    orders bigint,
    revenue double precision,
    first_day_revenue double precision,  -- the amounts of the first purchase day
    first_order timestamp with time zone,
    last_order timestamp with time zone,
    first_day date,                      -- first and last purchase days
    last_day date,
    purchase_days integer,               -- distinct purchase days
    days bytea                           -- bitmap of the purchase days: bit k (byte k / 8, bit k % 8) = first_day + k
);
COMMENT ON TYPE customer_state IS
    'A customer''s state: what its customer_summary needs. Calendar days in the session''s TimeZone.';

-- customer_state_add(state, ordered_at, amount): the state with one more order (a NULL state: a new one; a NULL
-- time or amount: the state unchanged).
CREATE FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                   amount double precision) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_add' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                       amount double precision) IS
    'customer_state_add(state, ordered_at, amount): the state with one more order (a NULL state: a new one; a '
    'NULL time or amount: the state unchanged).';

-- customer_state_merge(a, b): the state of both sets of orders of one customer (NULL when both are NULL).
CREATE FUNCTION customer_state_merge(a customer_state, b customer_state) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_merge(a customer_state, b customer_state) IS
    'customer_state_merge(a, b): the state of both sets of orders of one customer (NULL when both are NULL).';

-- Adds one order to a customer_state_agg state.
CREATE FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision) IS
    'Support function of aggregate customer_state_agg. Adds one order to a customer_state_agg state.';

-- Merges two partial customer_state_agg states (parallel workers).
CREATE FUNCTION customer_state_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_combine(internal, internal) IS
    'Support function of aggregate customer_state_agg. Merges two partial customer_state_agg states (parallel '
    'workers).';

-- A customer_state_agg state as bytes, for parallel workers.
CREATE FUNCTION customer_state_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_serialize(internal) IS
    'Support function of aggregate customer_state_agg. A customer_state_agg state as bytes, for parallel '
    'workers.';

-- A customer_state_agg state from its bytes, validated before use.
CREATE FUNCTION customer_state_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_deserialize(bytea, internal) IS
    'Support function of aggregate customer_state_agg. A customer_state_agg state from its bytes, validated '
    'before use.';

-- The customer_state of a customer_state_agg state; NULL when no order was counted.
CREATE FUNCTION customer_state_agg_final(internal) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_final(internal) IS
    'Support function of aggregate customer_state_agg. The customer_state of a customer_state_agg state; NULL '
    'when no order was counted.';

-- customer_state_agg(ordered_at, amount): the state of one customer's orders (use with GROUP BY customer); NULL
-- times or amounts are ignored, no order gives NULL.
CREATE AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision) (
    SFUNC = customer_state_agg_accum,
    STYPE = internal,
    COMBINEFUNC = customer_state_agg_combine,
    SERIALFUNC = customer_state_agg_serialize,
    DESERIALFUNC = customer_state_agg_deserialize,
    FINALFUNC = customer_state_agg_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision) IS
    'customer_state_agg(ordered_at, amount): the state of one customer''s orders (use with GROUP BY '
    'customer); NULL times or amounts are ignored, no order gives NULL.';

-- customer_state_summary(state, as_of [, unit]): the customer_summary_result that customer_summary(ordered_at,
-- amount, as_of [, unit]) gives over the customer's orders, for an as_of on or after the last purchase day (an
-- earlier as_of is an error 22023: the state keeps no revenue per day to split at). Holdout fields are 0.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone) IS
    'customer_state_summary(state, as_of [, unit]): the customer_summary_result that '
    'customer_summary(ordered_at, amount, as_of [, unit]) gives over the customer''s orders, for an as_of on '
    'or after the last purchase day (an earlier as_of is an error 22023: the state keeps no revenue per day '
    'to split at). Holdout fields are 0.';

-- customer_state_summary(state, as_of, unit): the same with recency and t in 'day', 'week' or 'month'.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text) IS
    'customer_state_summary(state, as_of, unit): the same with recency and t in ''day'', ''week'' or '
    '''month''.';

-- customer_state_trigger(state_table, customer_column, ordered_at_column, amount_column [, state_column]): an
-- AFTER trigger on an orders table keeping state_table (customer column of the same name with a unique index,
-- and a customer_state column, `state` by default) current. FOR EACH ROW on INSERT, or FOR EACH STATEMENT with
-- REFERENCING NEW TABLE for bulk loads. A row-level UPDATE that keeps customer, time and amount is allowed;
-- other UPDATEs, DELETE and TRUNCATE are refused (0A000). (Marked PARALLEL SAFE like every function of the
-- extension: a trigger function is never called by a query, and PostgreSQL never runs an INSERT's triggers in
-- a parallel worker.)
CREATE FUNCTION customer_state_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_trigger' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_trigger() IS
    'customer_state_trigger(state_table, customer_column, ordered_at_column, amount_column [, state_column]): '
    'an AFTER trigger on an orders table keeping state_table (customer column of the same name with a unique '
    'index, and a customer_state column, `state` by default) current. FOR EACH ROW on INSERT, or FOR EACH '
    'STATEMENT with REFERENCING NEW TABLE for bulk loads. A row-level UPDATE that keeps customer, time and '
    'amount is allowed; other UPDATEs, DELETE and TRUNCATE are refused (0A000). (Marked PARALLEL SAFE like '
    'every function of the extension: a trigger function is never called by a query, and PostgreSQL never '
    'runs an INSERT''s triggers in a parallel worker.)';

-- The zone forms of the functions above: purchase days (and as_of's day) taken in the time zone `zone` (any name
-- AT TIME ZONE accepts) instead of the session's TimeZone. A customer_state does not record its zone: build and
-- read one customer's state with the same zone.

-- customer_state_add(state, ordered_at, amount, zone): customer_state_add with the order's day in `zone`.
CREATE FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                   amount double precision, time_zone text) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_add' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                       amount double precision, time_zone text) IS
    'customer_state_add(state, ordered_at, amount, zone): customer_state_add with the order''s day in `zone`.';

-- Adds one order to a customer_state_agg state, its day taken in the time zone `zone`.
CREATE FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision, text) IS
    'Support function of aggregate customer_state_agg. Adds one order to a customer_state_agg state, its day '
    'taken in the time zone `zone`.';

-- customer_state_agg(ordered_at, amount, zone): customer_state_agg with days in `zone` (the same on every row
-- of a group).
CREATE AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision, time_zone text) (
    SFUNC = customer_state_agg_accum,
    STYPE = internal,
    COMBINEFUNC = customer_state_agg_combine,
    SERIALFUNC = customer_state_agg_serialize,
    DESERIALFUNC = customer_state_agg_deserialize,
    FINALFUNC = customer_state_agg_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision, time_zone text) IS
    'customer_state_agg(ordered_at, amount, zone): customer_state_agg with days in `zone` (the same on every '
    'row of a group).';

-- customer_state_summary(state, as_of, unit, zone): customer_state_summary with as_of's day in `zone`.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text,
                                       time_zone text)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text,
                                           time_zone text) IS
    'customer_state_summary(state, as_of, unit, zone): customer_state_summary with as_of''s day in `zone`.';
