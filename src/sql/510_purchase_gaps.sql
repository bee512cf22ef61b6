-- ---------------------------------------------------------------------------------------------------------------
-- purchase_gaps: purchase-gap churn signals of one customer (docs/purchase_gaps.md), a companion of
-- customer_summary. State: internal (as_of and the customer's distinct purchase days up to it), serialised to
-- bytea for parallel workers.
-- ---------------------------------------------------------------------------------------------------------------

-- What purchase_gaps returns; gaps are between consecutive purchase days (calendar days, session TimeZone), in
-- days. Figures that need more purchase days than the customer has are NULL.
CREATE TYPE purchase_gaps_result AS (
    purchase_days integer,           -- distinct purchase days up to as_of's day
    first_purchase date,
    last_purchase date,
    mean_gap double precision,       -- (last - first purchase day) / (purchase_days - 1): the typical gap
    last_gap double precision,       -- the most recent gap
    gap_trend double precision,      -- least-squares slope of the gaps on their index (regr_slope); > 0: growing
    days_since_last integer,         -- as_of's day - last purchase day: the current silence
    silence_ratio double precision   -- days_since_last / mean_gap: the silence in typical gaps
);
COMMENT ON TYPE purchase_gaps_result IS
    'What purchase_gaps returns; gaps are between consecutive purchase days (calendar days, session '
    'TimeZone), in days. Figures that need more purchase days than the customer has are NULL.';

-- Adds one order time to a purchase_gaps state.
CREATE FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone) IS
    'Support function of aggregate purchase_gaps. Adds one order time to a purchase_gaps state.';

-- Merges two partial purchase_gaps states (parallel workers); as_of must agree.
CREATE FUNCTION purchase_gaps_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_combine(internal, internal) IS
    'Support function of aggregate purchase_gaps. Merges two partial purchase_gaps states (parallel workers); '
    'as_of must agree.';

-- A purchase_gaps state as bytes, for parallel workers.
CREATE FUNCTION purchase_gaps_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_serialize(internal) IS
    'Support function of aggregate purchase_gaps. A purchase_gaps state as bytes, for parallel workers.';

-- A purchase_gaps state from its bytes, validated before use.
CREATE FUNCTION purchase_gaps_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_deserialize(bytea, internal) IS
    'Support function of aggregate purchase_gaps. A purchase_gaps state from its bytes, validated before use.';

-- The purchase_gaps_result of a state; NULL without a purchase day up to as_of.
CREATE FUNCTION purchase_gaps_final(internal) RETURNS purchase_gaps_result
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_final(internal) IS
    'Support function of aggregate purchase_gaps. The purchase_gaps_result of a state; NULL without a '
    'purchase day up to as_of.';

-- purchase_gaps(ordered_at, as_of): the purchase-gap signals of one customer's orders (use with GROUP BY
-- customer) as of as_of, which must be the same on every row of a group. Orders of days after as_of's day are
-- left out; NULL order times are ignored.
CREATE AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone) (
    SFUNC = purchase_gaps_accum,
    STYPE = internal,
    COMBINEFUNC = purchase_gaps_combine,
    SERIALFUNC = purchase_gaps_serialize,
    DESERIALFUNC = purchase_gaps_deserialize,
    FINALFUNC = purchase_gaps_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone) IS
    'purchase_gaps(ordered_at, as_of): the purchase-gap signals of one customer''s orders (use with GROUP BY '
    'customer) as of as_of, which must be the same on every row of a group. Orders of days after as_of''s day '
    'are left out; NULL order times are ignored.';

-- Adds one order time to a purchase_gaps state, days (and as_of's day) taken in the time zone `zone`.
CREATE FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone, text) IS
    'Support function of aggregate purchase_gaps. Adds one order time to a purchase_gaps state, days (and '
    'as_of''s day) taken in the time zone `zone`.';

-- purchase_gaps(ordered_at, as_of, zone): as purchase_gaps(ordered_at, as_of), with purchase days and as_of's
-- day taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a group) instead
-- of the session's TimeZone.
CREATE AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone, time_zone text) (
    SFUNC = purchase_gaps_accum,
    STYPE = internal,
    COMBINEFUNC = purchase_gaps_combine,
    SERIALFUNC = purchase_gaps_serialize,
    DESERIALFUNC = purchase_gaps_deserialize,
    FINALFUNC = purchase_gaps_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone, time_zone text) IS
    'purchase_gaps(ordered_at, as_of, zone): as purchase_gaps(ordered_at, as_of), with purchase days and '
    'as_of''s day taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a '
    'group) instead of the session''s TimeZone.';
