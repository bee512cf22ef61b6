-- loyalty 0.1.0 -> 0.2.0, run by ALTER EXTENSION loyalty UPDATE.
--
-- 0.1.0 has shipped (src/sql/shipped/loyalty--0.1.0.sql). Whoever changes the SQL surface for 0.2.0 (a new or
-- changed function, aggregate, type or C symbol in the fragments of src/sql/) appends here the statements that
-- take a 0.1.0 database to exactly what a fresh 0.2.0 install creates. test/ops/upgrade.sh checks that the
-- upgraded database's extension objects equal a fresh install's and that stored models and views still give the
-- same results. See docs/upgrades.md.

\echo Use "ALTER EXTENSION loyalty UPDATE TO '0.2.0'" to load this file. \quit

-- issue 12: the objects that 0.2.0 adds for KPIs, purchase gaps, mean lift and the customer state: the same
-- statements as the install script's fragments src/sql/5*.sql.

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

-- Adds one order to an order_kpis state (NULL customer, time or amount: the row is ignored).
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Adds one order with the customer's first contact time (NULL: no contact known) to an order_kpis state.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                 timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_contact_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Merges two partial order_kpis states (parallel workers): customers present in both merge their days.
CREATE FUNCTION order_kpis_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- An order_kpis state as bytes, for parallel workers.
CREATE FUNCTION order_kpis_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- An order_kpis state from its bytes, validated before use.
CREATE FUNCTION order_kpis_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The order_kpis_result of a state; NULL when no order was counted.
CREATE FUNCTION order_kpis_final(internal) RETURNS order_kpis_result
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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

-- Adds one order time to a purchase_gaps state.
CREATE FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Merges two partial purchase_gaps states (parallel workers); as_of must agree.
CREATE FUNCTION purchase_gaps_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A purchase_gaps state as bytes, for parallel workers.
CREATE FUNCTION purchase_gaps_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A purchase_gaps state from its bytes, validated before use.
CREATE FUNCTION purchase_gaps_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The purchase_gaps_result of a state; NULL without a purchase day up to as_of.
CREATE FUNCTION purchase_gaps_final(internal) RETURNS purchase_gaps_result
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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

-- ---------------------------------------------------------------------------------------------------------------
-- mean_lift: before/after and treated/control comparison of a mean (average order value, orders or revenue per
-- customer) with Welch's t-test (docs/mean_lift.md); the sibling of retention_lift, which compares proportions.
-- State: float8[] [treated n, mean, M2, control n, mean, M2] (+ [confidence level]).
-- ---------------------------------------------------------------------------------------------------------------

-- What mean_lift returns: each group's size, mean and standard deviation, the difference of means (treated -
-- control), the relative difference (/ control mean), its confidence interval, Welch's t, its degrees of freedom
-- and the two-sided p-value. Figures that cannot be computed are NULL.
CREATE TYPE mean_lift_result AS (
    treated_n bigint,
    treated_mean double precision,
    treated_sd double precision,
    control_n bigint,
    control_mean double precision,
    control_sd double precision,
    difference double precision,
    relative_difference double precision,
    ci_low double precision,
    ci_high double precision,
    t_statistic double precision,
    degrees_of_freedom double precision,
    p_value double precision
);

-- Adds one value of the treated (true) or control (false) group to a mean_lift state.
CREATE FUNCTION mean_lift_accum(double precision[], boolean, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial mean_lift states.
CREATE FUNCTION mean_lift_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The mean_lift_result of a state (95% interval); NULL without values.
CREATE FUNCTION mean_lift_final(double precision[]) RETURNS mean_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mean_lift(treated, value): is the treated group's mean (or the "after" period's) different from the control
-- group's (the "before" period's)? Rows with a NULL are ignored.
CREATE AGGREGATE mean_lift(treated boolean, value double precision) (
    SFUNC = mean_lift_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = mean_lift_combine,
    FINALFUNC = mean_lift_final,
    PARALLEL = SAFE
);

-- Adds one value to a mean_lift state that carries a confidence level (the same on every row; 0 < level < 1).
CREATE FUNCTION mean_lift_accum(double precision[], boolean, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Merges two partial mean_lift states that carry a confidence level (the levels must agree).
CREATE FUNCTION mean_lift_confidence_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The mean_lift_result of a state at its own confidence level.
CREATE FUNCTION mean_lift_confidence_final(double precision[]) RETURNS mean_lift_result
    AS 'MODULE_PATHNAME', 'loyalty_mean_lift_confidence_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- mean_lift(treated, value, confidence): as above with the interval at the given level (e.g. 0.9).
CREATE AGGREGATE mean_lift(treated boolean, value double precision, confidence double precision) (
    SFUNC = mean_lift_accum,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0,NaN}',
    COMBINEFUNC = mean_lift_confidence_combine,
    FINALFUNC = mean_lift_confidence_final,
    PARALLEL = SAFE
);

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

-- customer_state_add(state, ordered_at, amount): the state with one more order (a NULL state: a new one; a NULL
-- time or amount: the state unchanged).
CREATE FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                   amount double precision) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_add' LANGUAGE C STABLE PARALLEL SAFE;

-- customer_state_merge(a, b): the state of both sets of orders of one customer (NULL when both are NULL).
CREATE FUNCTION customer_state_merge(a customer_state, b customer_state) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_accum' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_final(internal) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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

-- customer_state_summary(state, as_of [, unit]): the customer_summary_result that customer_summary(ordered_at,
-- amount, as_of [, unit]) gives over the customer's orders, for an as_of on or after the last purchase day (an
-- earlier as_of is an error 22023: the state keeps no revenue per day to split at). Holdout fields are 0.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- customer_state_trigger(state_table, customer_column, ordered_at_column, amount_column [, state_column]): an
-- AFTER trigger on an orders table keeping state_table (customer column of the same name with a unique index,
-- and a customer_state column, `state` by default) current. FOR EACH ROW on INSERT, or FOR EACH STATEMENT with
-- REFERENCING NEW TABLE for bulk loads. A row-level UPDATE that keeps customer, time and amount is allowed;
-- other UPDATEs, DELETE and TRUNCATE are refused (0A000). (Marked PARALLEL SAFE like every function of the
-- extension: a trigger function is never called by a query, and PostgreSQL never runs an INSERT's triggers in
-- a parallel worker.)
CREATE FUNCTION customer_state_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_trigger' LANGUAGE C PARALLEL SAFE;

-- issue 11: churn probability an analyst can act on. New in 0.2.0 (all additive; the window forms p_alive,
-- churn_probability and clv_estimate of 0.1.0 keep their signatures and C symbols, but now fit the default model,
-- Pareto/NBD, instead of BG/NBD; pass model => 'bgnbd' through the new overloads for the 0.1.0 behaviour):
-- predictions of customer_summary_result composites, window forms with a model and penalizer, customer_scores,
-- holdout_check.
-- The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration data), for
-- the continuous-time models.
CREATE FUNCTION p_alive(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION p_alive(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION churn_probability(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model bgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model mbgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION expected_purchases(model pareto_nbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Gamma-Gamma expected spend from the summary's frequency and monetary.
CREATE FUNCTION expected_spend(model gamma_gamma_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_expected_spend_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;


-- Window forms with a model and a penalizer, and over customer_summary_result.
CREATE FUNCTION p_alive(frequency double precision, recency double precision, t double precision, model text,
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION p_alive(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_probability(frequency double precision, recency double precision, t double precision,
                                  model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION churn_probability(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                                  penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).
CREATE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                             summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                             monetary double precision, horizon integer, discount_rate double precision,
                             period_length double precision, model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION clv_estimate(summary customer_summary_result, horizon integer, discount_rate double precision,
                             period_length double precision DEFAULT 1, model text DEFAULT 'pareto_nbd',
                             penalizer double precision DEFAULT 0) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- ---------------------------------------------------------------------------------------------------------------
-- customer_scores (docs/predictions_and_clv.md): every score of a customer in one composite, from one fit per
-- window partition (window forms) or from stored models (scalar forms): P(alive), churn probability, expected
-- purchases over `horizon` periods of `period_length` time units, the CLV over the same periods (discounted by
-- `discount_rate` a period, spend from Gamma-Gamma) and a churn-risk segment: the k `risk_boundaries` (increasing,
-- strictly between 0 and 1) cut the churn probability into k + 1 segments named by `risk_labels`; a churn
-- probability equal to a boundary belongs to the segment above it.
-- ---------------------------------------------------------------------------------------------------------------

CREATE TYPE customer_scores_result AS (
    p_alive double precision,
    churn_probability double precision,      -- 1 - p_alive
    expected_purchases double precision,     -- in the next horizon * period_length time units
    clv double precision,                    -- NULL when the customer's spend is unknown
    churn_risk text                          -- the segment of churn_probability
);

-- Window form: the transaction model (default Pareto/NBD) and Gamma-Gamma fitted once on the partition.
CREATE FUNCTION customer_scores(summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Window form over plain columns.
CREATE FUNCTION customer_scores(frequency double precision, recency double precision, t double precision,
                                monetary double precision, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                model text DEFAULT 'pareto_nbd', penalizer double precision DEFAULT 0,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_scores_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Scalar forms with stored models (a view over a table of fitted models): the same composite.
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model,
                                summary customer_summary_result, horizon integer,
                                discount_rate double precision DEFAULT 0, period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, t double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- BG/BB: frequency, recency and n_periods in whole opportunities (period_length too).
CREATE FUNCTION customer_scores(model bgbb_model, spend_model gamma_gamma_model, frequency double precision,
                                recency double precision, n_periods double precision, monetary double precision,
                                horizon integer, discount_rate double precision DEFAULT 0,
                                period_length double precision DEFAULT 1,
                                risk_boundaries double precision[] DEFAULT '{0.25, 0.5, 0.75}',
                                risk_labels text[] DEFAULT '{low, medium, high, very high}')
    RETURNS customer_scores_result
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_customer_scores' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- ---------------------------------------------------------------------------------------------------------------
-- holdout_check (docs/predictions_and_clv.md): how well a fitted transaction model predicts a holdout period.
-- For every customer, the expected purchases in the `holdout_length` time units after the calibration period
-- given the calibration history, E[X(t, t + holdout_length) | frequency, recency, t], against the purchases
-- actually made there; totals, error figures, and the means by calibration frequency (0..9, and 10 or more: the
-- data of lifetimes' plot_calibration_purchases_vs_holdout_purchases). An aggregate: one group, one check; the
-- model and holdout length must be the same on every row of a group. NULL rows are skipped; no rows give NULL.
-- ---------------------------------------------------------------------------------------------------------------

CREATE TYPE holdout_check_result AS (
    customers bigint,
    predicted_purchases double precision,        -- total expected holdout purchases
    actual_purchases double precision,           -- total actual holdout purchases
    mean_absolute_error double precision,        -- per customer
    root_mean_squared_error double precision,    -- per customer
    correlation double precision,                -- Pearson, predicted vs actual over customers (NULL if constant)
    calibration_frequency integer[],             -- the frequency groups present (10 stands for 10 or more)
    customers_by_frequency bigint[],
    predicted_mean double precision[],           -- mean expected holdout purchases of the group
    actual_mean double precision[]               -- mean actual holdout purchases of the group
);

-- Merges two partial states (parallel workers); callable only by the aggregates.
CREATE FUNCTION holdout_check_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The holdout_check_result of a state; callable only by the aggregates.
CREATE FUNCTION holdout_check_final(double precision[]) RETURNS holdout_check_result
    AS 'MODULE_PATHNAME', 'loyalty_holdout_check_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Transition functions (one per model and input form); callable only by the aggregates.
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, double precision, double precision,
                                    double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, double precision, double precision,
                                     double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, double precision, double precision,
                                         double precision, double precision, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_holdout_accum(double precision[], bgbb_model, double precision, double precision,
                                   double precision, double precision, double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_holdout_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, customer_summary_result, double precision)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, customer_summary_result,
                                         double precision) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_holdout_summary_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as
-- plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).
CREATE AGGREGATE holdout_check(model bgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model mbgnbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model pareto_nbd_model, frequency double precision, recency double precision,
                               t double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model bgbb_model, frequency double precision, recency double precision,
                               n_periods double precision, holdout_purchases double precision,
                               holdout_length double precision) (
    SFUNC = bgbb_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);

-- holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are their
-- holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of the data in
-- the summaries' unit. Customers without calibration data are skipped.
CREATE AGGREGATE holdout_check(model bgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = bgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model mbgnbd_model, summary customer_summary_result, holdout_length double precision) (
    SFUNC = mbgnbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
CREATE AGGREGATE holdout_check(model pareto_nbd_model, summary customer_summary_result,
                               holdout_length double precision) (
    SFUNC = pareto_nbd_holdout_accum, STYPE = double precision[], COMBINEFUNC = holdout_check_combine,
    FINALFUNC = holdout_check_final, PARALLEL = SAFE);
-- end of issue 11

-- issue 13: distributed fits (src/sql/411_distributed_fits.sql)
-- bgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): BG/NBD fitted over the columns
-- of `source` without moving its rows; the same result as bgnbd_fit over them.
CREATE FUNCTION bgnbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                      recency text DEFAULT 'recency', t text DEFAULT 't',
                                      penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

-- mbgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): MBG/NBD, as mbgnbd_fit.
CREATE FUNCTION mbgnbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                       recency text DEFAULT 'recency', t text DEFAULT 't',
                                       penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

-- pareto_nbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): Pareto/NBD, as
-- pareto_nbd_fit.
CREATE FUNCTION pareto_nbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                           recency text DEFAULT 'recency', t text DEFAULT 't',
                                           penalizer double precision DEFAULT 0,
                                           sample_rows integer DEFAULT 10000)
    RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

-- bgbb_fit_distributed(source, frequency, recency, n_periods, penalizer, sample_rows): BG/BB on one row per
-- customer, as bgbb_fit(frequency, recency, n_periods).
CREATE FUNCTION bgbb_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                     recency text DEFAULT 'recency', n_periods text DEFAULT 'n_periods',
                                     penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

-- gamma_gamma_fit_distributed(source, frequency, monetary, penalizer, sample_rows): Gamma-Gamma over the
-- repeat buyers, as gamma_gamma_fit.
CREATE FUNCTION gamma_gamma_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                            monetary text DEFAULT 'monetary',
                                            penalizer double precision DEFAULT 0,
                                            sample_rows integer DEFAULT 10000)
    RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

-- issue 13: time-zone arguments. Every function that cuts time into calendar days, weeks, months, quarters or
-- years gets a form with an explicit `zone text` argument (new overloads: the forms without it, and views on
-- them, are unchanged). The same statements as the install script's fragments src/sql/300, 310, 500, 510, 530.

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

-- Removes one customer from a non-contractual retention state of the zone form (inverse transition).
CREATE FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                             timestamptz, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_inactivity_zone_retract' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- retention_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual
-- retention with the inactivity's months and days counted in the time zone `zone`.
CREATE AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                period_start timestamptz, period_end timestamptz, zone text) (
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

-- churn_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual churn with
-- the inactivity counted in the time zone `zone`.
CREATE AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                            period_start timestamptz, period_end timestamptz, zone text) (
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

-- retention_stats(first_order, last_order, inactivity, period_start, period_end, zone): the non-contractual
-- retention_stats composite with the inactivity counted in the time zone `zone`.
CREATE AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
                                 period_start timestamptz, period_end timestamptz, zone text) (
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

-- Adds one activity span to a series state of the zone form: [run_starts 0..P, run_ends 0..P, boundaries 1..P
-- (epoch seconds), zone key, first_period_start, period_length months, days, microseconds, P], the boundaries
-- first_period_start + k * period_length counted in `zone` (the final function has no zone argument).
CREATE FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                       integer, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Removes one activity span from a series state of the zone form (inverse transition).
CREATE FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                         integer, text)
    RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_retention_series_zone_retract' LANGUAGE C STABLE PARALLEL SAFE;

-- retention_series(active_from, active_until, first_period_start, period_length, periods, zone): as above, with
-- the periods' boundaries counted in the time zone `zone` (a NULL zone, like a NULL parameter: the row is
-- ignored).
CREATE AGGREGATE retention_series(active_from timestamptz, active_until timestamptz,
                                  first_period_start timestamptz, period_length interval, periods integer,
                                  zone text) (
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

-- cohort_period(cohort_start, event_ts, unit, zone): calendar periods from cohort_start to event_ts in the time
-- zone `zone` (any name AT TIME ZONE accepts) instead of the session's TimeZone. It is also the window form's
-- zone form: cohort_period(min(event_ts) OVER (PARTITION BY customer), event_ts, unit, zone). (A window
-- overload cohort_period(timestamptz, text, text) would capture the calls above whose event_ts is an untyped
-- literal.)
CREATE FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text, zone text)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- Adds one order to an order_kpis state, its purchase day taken in the time zone `zone`.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- Adds one order with the customer's first contact time to an order_kpis state, days in `zone`.
CREATE FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                 timestamp with time zone, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_order_kpis_contact_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- order_kpis(customer_id, ordered_at, amount, zone): as order_kpis(customer_id, ordered_at, amount), with
-- purchase days taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a group)
-- instead of the session's TimeZone. A literal first contact time must be cast (timestamptz '...') to reach
-- the form below: an untyped literal in fourth place is read as a zone.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                            zone text) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);

-- order_kpis(customer_id, ordered_at, amount, first_contact, zone): the form with first contact times, days in
-- the time zone `zone`.
CREATE AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                            first_contact timestamp with time zone, zone text) (
    SFUNC = order_kpis_accum,
    STYPE = internal,
    COMBINEFUNC = order_kpis_combine,
    SERIALFUNC = order_kpis_serialize,
    DESERIALFUNC = order_kpis_deserialize,
    FINALFUNC = order_kpis_final,
    PARALLEL = SAFE
);

-- Adds one order time to a purchase_gaps state, days (and as_of's day) taken in the time zone `zone`.
CREATE FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_purchase_gaps_zone_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- purchase_gaps(ordered_at, as_of, zone): as purchase_gaps(ordered_at, as_of), with purchase days and as_of's
-- day taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a group) instead
-- of the session's TimeZone.
CREATE AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone, zone text) (
    SFUNC = purchase_gaps_accum,
    STYPE = internal,
    COMBINEFUNC = purchase_gaps_combine,
    SERIALFUNC = purchase_gaps_serialize,
    DESERIALFUNC = purchase_gaps_deserialize,
    FINALFUNC = purchase_gaps_final,
    PARALLEL = SAFE
);

-- The zone forms of the functions above: purchase days (and as_of's day) taken in the time zone `zone` (any name
-- AT TIME ZONE accepts) instead of the session's TimeZone. A customer_state does not record its zone: build and
-- read one customer's state with the same zone.

-- customer_state_add(state, ordered_at, amount, zone): customer_state_add with the order's day in `zone`.
CREATE FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                   amount double precision, zone text) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_add' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_accum' LANGUAGE C STABLE PARALLEL SAFE;

-- customer_state_agg(ordered_at, amount, zone): customer_state_agg with days in `zone` (the same on every row
-- of a group).
CREATE AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision, zone text) (
    SFUNC = customer_state_agg_accum,
    STYPE = internal,
    COMBINEFUNC = customer_state_agg_combine,
    SERIALFUNC = customer_state_agg_serialize,
    DESERIALFUNC = customer_state_agg_deserialize,
    FINALFUNC = customer_state_agg_final,
    PARALLEL = SAFE
);

-- customer_state_summary(state, as_of, unit, zone): customer_state_summary with as_of's day in `zone`.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text,
                                       zone text)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;
