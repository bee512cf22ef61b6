-- ---------------------------------------------------------------------------------------------------------------
-- order_kpis: the loyalty KPIs of an order log in one pass (docs/kpis.md). State: internal (the group's order
-- count and revenue, and a hash table of its customers with their first order, first contact and distinct
-- purchase days), serialised to bytea for parallel workers. Exact under any split of the rows: partial states of
-- one customer merge into the union of its purchase days.
-- ---------------------------------------------------------------------------------------------------------------

-- What order_kpis returns. A purchase day is a calendar day (session TimeZone) on which a customer ordered.
CREATE TYPE order_kpis_result AS (
    customers bigint,                           -- distinct customers
    orders bigint,                              -- orders
    revenue double precision,                   -- sum of the amounts
    aov double precision,                       -- average order value: revenue / orders
    arpu double precision,                      -- average revenue per customer: revenue / customers
    orders_per_customer double precision,       -- orders / customers
    repeat_customers bigint,                    -- customers with more than one purchase day
    repeat_purchase_rate double precision,      -- repeat_customers / customers
    purchase_days bigint,                       -- distinct (customer, purchase day) pairs
    mean_days_between_purchases double precision, -- mean gap between a customer's consecutive purchase days
    contact_customers bigint,                   -- customers with a first contact time
    mean_days_to_first_purchase double precision -- mean (first order - first contact), in days of 24 hours
);
COMMENT ON TYPE order_kpis_result IS
    'What order_kpis returns. A purchase day is a calendar day (session TimeZone) on which a customer '
    'ordered.';

-- Adds one order to an order_kpis state (NULL customer, time or amount: the row is ignored).
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision) IS
    'Support function of aggregate order_kpis. Adds one order to an order_kpis state (NULL customer, time or '
    'amount: the row is ignored).';

-- Adds one order with the customer's first contact time (NULL: no contact known) to an order_kpis state.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                 timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_contact_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                     timestamp with time zone) IS
    'Support function of aggregate order_kpis. Adds one order with the customer''s first contact time (NULL: '
    'no contact known) to an order_kpis state.';

-- Merges two partial order_kpis states (parallel workers): customers present in both merge their days.
CREATE FUNCTION order_kpis_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_combine(internal, internal) IS
    'Support function of aggregate order_kpis. Merges two partial order_kpis states (parallel workers): '
    'customers present in both merge their days.';

-- An order_kpis state as bytes, for parallel workers.
CREATE FUNCTION order_kpis_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_serialize(internal) IS
    'Support function of aggregate order_kpis. An order_kpis state as bytes, for parallel workers.';

-- An order_kpis state from its bytes, validated before use.
CREATE FUNCTION order_kpis_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_deserialize(bytea, internal) IS
    'Support function of aggregate order_kpis. An order_kpis state from its bytes, validated before use.';

-- The order_kpis_result of a state; NULL when no order was counted.
CREATE FUNCTION order_kpis_final(internal) RETURNS order_kpis_result
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_final(internal) IS
    'Support function of aggregate order_kpis. The order_kpis_result of a state; NULL when no order was '
    'counted.';

-- order_kpis(customer_id, ordered_at, amount): the KPIs of the group's orders (GROUP BY date_trunc('month',
-- ordered_at) for a monthly dashboard). Calendar days in the session's TimeZone.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision) IS
    'order_kpis(customer_id, ordered_at, amount): the KPIs of the group''s orders (GROUP BY '
    'date_trunc(''month'', ordered_at) for a monthly dashboard). Calendar days in the session''s TimeZone.';

-- order_kpis(customer_id, ordered_at, amount, first_contact): as above, with the mean days from each customer's
-- first contact (the earliest non-NULL value of its rows) to its first order.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                            first_contact timestamp with time zone) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                first_contact timestamp with time zone) IS
    'order_kpis(customer_id, ordered_at, amount, first_contact): as above, with the mean days from each '
    'customer''s first contact (the earliest non-NULL value of its rows) to its first order.';

-- Adds one order to an order_kpis state, its purchase day taken in the time zone `zone`.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision, text) IS
    'Support function of aggregate order_kpis. Adds one order to an order_kpis state, its purchase day taken '
    'in the time zone `zone`.';

-- Adds one order with the customer's first contact time to an order_kpis state, days in `zone`.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                 timestamp with time zone, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_contact_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                     timestamp with time zone, text) IS
    'Support function of aggregate order_kpis. Adds one order with the customer''s first contact time to an '
    'order_kpis state, days in `zone`.';

-- order_kpis(customer_id, ordered_at, amount, zone): as order_kpis(customer_id, ordered_at, amount), with
-- purchase days taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a group)
-- instead of the session's TimeZone. A literal first contact time must be cast (timestamptz '...') to reach
-- the form below: an untyped literal in fourth place is read as a zone.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                            time_zone text) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                time_zone text) IS
    'order_kpis(customer_id, ordered_at, amount, zone): as order_kpis(customer_id, ordered_at, amount), with '
    'purchase days taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a '
    'group) instead of the session''s TimeZone. A literal first contact time must be cast (timestamptz '
    '''...'') to reach the form below: an untyped literal in fourth place is read as a zone.';

-- order_kpis(customer_id, ordered_at, amount, first_contact, zone): the form with first contact times, days in
-- the time zone `zone`.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                            first_contact timestamp with time zone, time_zone text) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                first_contact timestamp with time zone, time_zone text) IS
    'order_kpis(customer_id, ordered_at, amount, first_contact, zone): the form with first contact times, '
    'days in the time zone `zone`.';
