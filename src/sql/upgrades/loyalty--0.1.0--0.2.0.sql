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
-- years gets a form with an explicit `time_zone text` argument (new overloads: the forms without it, and views on
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

-- cohort_period(cohort_start, event_ts, unit, zone): calendar periods from cohort_start to event_ts in the time
-- zone `zone` (any name AT TIME ZONE accepts) instead of the session's TimeZone. It is also the window form's
-- zone form: cohort_period(min(event_ts) OVER (PARTITION BY customer), event_ts, unit, zone). (A window
-- overload cohort_period(timestamptz, text, text) would capture the calls above whose event_ts is an untyped
-- literal.)
CREATE FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text, time_zone text)
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
                            time_zone text) (
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
                            first_contact timestamp with time zone, time_zone text) (
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
CREATE AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone, time_zone text) (
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
                                   amount double precision, time_zone text) RETURNS customer_state
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_add' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision, text)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_agg_accum' LANGUAGE C STABLE PARALLEL SAFE;

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

-- customer_state_summary(state, as_of, unit, zone): customer_state_summary with as_of's day in `zone`.
CREATE FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text,
                                       time_zone text)
    RETURNS customer_summary_result
    AS 'MODULE_PATHNAME', 'loyalty_customer_state_summary' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- issue 14: descriptions. A COMMENT on every function, aggregate and type (\df+ and \dT+ show them): the same
-- statements as the fragments of src/sql/, each of which follows its CREATE there.
COMMENT ON FUNCTION nps_accum(double precision[], integer) IS
    'Support function of aggregates nps, nps_stats. Adds one rating to an NPS state (a rating outside 0-10 is '
    'an error 22003).';
COMMENT ON FUNCTION nps_retract(double precision[], integer) IS
    'Support function of aggregates nps, nps_stats. Removes one rating from an NPS state: the inverse '
    'transition that lets sliding windows avoid re-scanning.';
COMMENT ON FUNCTION nps_combine(double precision[], double precision[]) IS
    'Support function of aggregates nps, nps_stats. Merges two partial NPS states (parallel workers, '
    'distributed partial aggregation).';
COMMENT ON FUNCTION nps_final(double precision[]) IS
    'Support function of aggregate nps. The score of an NPS state: 100 * (promoters - detractors) / '
    'respondents, NULL when nobody answered.';
COMMENT ON AGGREGATE nps(integer) IS
    'nps(score): the Net Promoter Score, from -100 to 100. Promoters rate 9-10, detractors 0-6. NULL scores '
    'are ignored; no rows give NULL. Usable as a window function, with sliding frames computed incrementally.';
COMMENT ON TYPE nps_summary IS
    'What nps_stats returns: the score, the counts behind it, its standard error and confidence interval.';
COMMENT ON FUNCTION nps_stats_final(double precision[]) IS
    'Support function of aggregate nps_stats. The nps_summary of an NPS state, with a 95% interval.';
COMMENT ON AGGREGATE nps_stats(integer) IS
    'nps_stats(score): NPS with counts, standard error 100*sqrt((p + d - (p - d)^2)/n) and a 95% normal '
    'interval clipped to [-100, 100].';
COMMENT ON FUNCTION nps_confidence_accum(double precision[], integer, double precision) IS
    'Support function of aggregate nps_stats. Adds one rating to an NPS state that carries a confidence level '
    '(constant within a group; 0 < level < 1).';
COMMENT ON FUNCTION nps_confidence_retract(double precision[], integer, double precision) IS
    'Support function of aggregate nps_stats. Removes one rating from an NPS state that carries a confidence '
    'level.';
COMMENT ON FUNCTION nps_confidence_combine(double precision[], double precision[]) IS
    'Support function of aggregate nps_stats. Merges two partial NPS states that carry a confidence level '
    '(the levels must agree).';
COMMENT ON FUNCTION nps_confidence_stats_final(double precision[]) IS
    'Support function of aggregate nps_stats. The nps_summary of an NPS state at its own confidence level.';
COMMENT ON AGGREGATE nps_stats(integer, double precision) IS
    'nps_stats(score, confidence): as nps_stats(score) with the interval at the given level (e.g. 0.9); the '
    'normal quantile comes from Boost.Math. The level must be the same on every row of a group.';
COMMENT ON FUNCTION csat_accum(double precision[], integer) IS
    'Support function of aggregate csat. Adds one 1-5 rating to a CSAT state (a rating outside the scale is '
    'an error 22003).';
COMMENT ON FUNCTION csat_retract(double precision[], integer) IS
    'Support function of aggregate csat. Removes one rating from a CSAT state (inverse transition for sliding '
    'windows).';
COMMENT ON FUNCTION csat_accum(double precision[], integer, integer) IS
    'Support function of aggregate csat. Adds one rating on a 1-scale_max scale (scale_max >= 3, constant '
    'within a group) to a CSAT state.';
COMMENT ON FUNCTION csat_retract(double precision[], integer, integer) IS
    'Support function of aggregate csat. Removes one rating on a 1-scale_max scale from a CSAT state.';
COMMENT ON FUNCTION csat_combine(double precision[], double precision[]) IS
    'Support function of aggregate csat. Merges two partial CSAT states (their scales must agree).';
COMMENT ON FUNCTION csat_final(double precision[]) IS
    'Support function of aggregate csat. The CSAT of a state: 100 * satisfied / respondents, NULL when nobody '
    'answered.';
COMMENT ON AGGREGATE csat(integer) IS
    'csat(score): percent of answers 4 or 5 on a 1-5 scale. NULLs ignored; no rows give NULL.';
COMMENT ON AGGREGATE csat(integer, integer) IS
    'csat(score, scale_max): percent of answers in the top two boxes (scale_max - 1 and scale_max) of a '
    '1-scale_max scale, e.g. 6-7 on a 7-point scale.';
COMMENT ON TYPE customer_summary_result IS
    'What customer_summary returns. Calibration period = orders on or before the as_of day; holdout = after '
    'it.';
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state (calendar '
    'days in the session''s TimeZone, unit day).';
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone, text) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state, with a time '
    'unit (''day'', ''week'' or ''month'').';
COMMENT ON FUNCTION customer_summary_accum(internal, timestamp with time zone, double precision,
                                           timestamp with time zone, text, text) IS
    'Support function of aggregate customer_summary. Adds one order to a customer_summary state, with a time '
    'unit and the time zone of the calendar days.';
COMMENT ON FUNCTION customer_summary_combine(internal, internal) IS
    'Support function of aggregate customer_summary. Merges two partial customer_summary states (parallel '
    'workers); as_of, unit and zone must agree.';
COMMENT ON FUNCTION customer_summary_serialize(internal) IS
    'Support function of aggregate customer_summary. A customer_summary state as bytes, for parallel workers.';
COMMENT ON FUNCTION customer_summary_deserialize(bytea, internal) IS
    'Support function of aggregate customer_summary. A customer_summary state from its bytes, validated '
    'before use.';
COMMENT ON FUNCTION customer_summary_final(internal) IS
    'Support function of aggregate customer_summary. The customer_summary_result of a state; NULL when no '
    'order was counted.';
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone) IS
    'customer_summary(order_ts, amount, as_of): the summary of one customer''s orders (use with GROUP BY '
    'customer), in days, calendar days taken in the session''s TimeZone. Orders of days after as_of''s day '
    'are the holdout. as_of must be the same on every row of a group; orders with a NULL time or amount are '
    'ignored.';
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone, unit text) IS
    'customer_summary(order_ts, amount, as_of, unit): as above with recency and t in ''day'', ''week'' or '
    '''month'' (30.4375 days).';
COMMENT ON AGGREGATE customer_summary(order_ts timestamp with time zone, amount double precision,
                                      as_of timestamp with time zone, unit text, time_zone text) IS
    'customer_summary(order_ts, amount, as_of, unit, time_zone): calendar days taken in the given time zone '
    '(any name AT TIME ZONE accepts), independent of the session''s TimeZone.';
COMMENT ON TYPE rfm_result IS
    'What rfm_score returns: three scores 1..buckets, the code (''545'') and the segment name (5 buckets '
    'only).';
COMMENT ON TYPE rfm_breakpoints IS
    'What rfm_thresholds returns: buckets - 1 breakpoints per dimension (data values; a value scores 1 + the '
    'number of breakpoints it is strictly better than), and the number of customers they come from.';
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision,
                              monetary double precision) IS
    'rfm_score(days_since_last, frequency, monetary) OVER (...): each row scored 1-5 on each dimension '
    'against the rows of its partition with no NULL input (rows with a NULL input get NULL). The frame is '
    'irrelevant.';
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision, monetary double precision,
                              buckets integer) IS
    'rfm_score(days_since_last, frequency, monetary, buckets) OVER (...): as above with 2-9 buckets; the '
    'segment is NULL unless buckets = 5.';
COMMENT ON FUNCTION rfm_score(days_since_last double precision, frequency double precision, monetary double precision,
                              thresholds rfm_breakpoints) IS
    'rfm_score(days_since_last, frequency, monetary, thresholds): one customer scored against stored '
    'breakpoints; equal to the window form on the data the breakpoints come from.';
COMMENT ON FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate rfm_thresholds. Adds one customer to an rfm_thresholds state (rows with a '
    'NULL input are skipped).';
COMMENT ON FUNCTION rfm_thresholds_accum(internal, double precision, double precision, double precision, integer) IS
    'Support function of aggregate rfm_thresholds. Adds one customer to an rfm_thresholds state with a number '
    'of buckets (2-9, the same on every row).';
COMMENT ON FUNCTION rfm_thresholds_combine(internal, internal) IS
    'Support function of aggregate rfm_thresholds. Merges two partial rfm_thresholds states (parallel '
    'workers).';
COMMENT ON FUNCTION rfm_thresholds_serialize(internal) IS
    'Support function of aggregate rfm_thresholds. An rfm_thresholds state as bytes, for parallel workers.';
COMMENT ON FUNCTION rfm_thresholds_deserialize(bytea, internal) IS
    'Support function of aggregate rfm_thresholds. An rfm_thresholds state from its bytes, validated before '
    'use.';
COMMENT ON FUNCTION rfm_thresholds_final(internal) IS
    'Support function of aggregate rfm_thresholds. The rfm_breakpoints of a state; NULL when no customer was '
    'counted.';
COMMENT ON AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                    monetary double precision) IS
    'rfm_thresholds(days_since_last, frequency, monetary): the quintile breakpoints of the customers, to '
    'store and score new customers with rfm_score(..., thresholds). Holds the rows'' values until the end (24 '
    'bytes a row).';
COMMENT ON AGGREGATE rfm_thresholds(days_since_last double precision, frequency double precision,
                                    monetary double precision, buckets integer) IS
    'rfm_thresholds(days_since_last, frequency, monetary, buckets): the same with 2-9 buckets.';
COMMENT ON FUNCTION rfm_segment(r integer, f integer, m integer) IS
    'rfm_segment(r, f, m): the named segment of 1-5 scores (Champions ... Lost); a score outside 1-5 is '
    '22003.';
COMMENT ON FUNCTION rfm_segment(code text) IS
    'rfm_segment(code): the named segment of a three-digit code such as ''545''.';
COMMENT ON FUNCTION retention_accum(double precision[], timestamptz, timestamptz, timestamptz, timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one activity span to a '
    'retention state (rows with a NULL active_from or period bound are ignored).';
COMMENT ON FUNCTION retention_retract(double precision[], timestamptz, timestamptz, timestamptz, timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one activity span '
    'from a retention state: the inverse transition for sliding windows.';
COMMENT ON FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                               timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one customer (first '
    'order, last order, inactivity interval) to a non-contractual retention state.';
COMMENT ON FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                                 timestamptz) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one customer from a '
    'non-contractual retention state (inverse transition).';
COMMENT ON FUNCTION retention_combine(double precision[], double precision[]) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Merges two partial retention '
    'states of the same kind (their period bounds and inactivity must agree).';
COMMENT ON FUNCTION retention_rate_final(double precision[]) IS
    'Support function of aggregate retention_rate. The retention rate (E - N)/S of a retention state, NULL '
    'when nobody was active at the period start.';
COMMENT ON FUNCTION churn_rate_final(double precision[]) IS
    'Support function of aggregate churn_rate. The churn rate C/S of a retention state, NULL when nobody was '
    'active at the period start.';
COMMENT ON TYPE retention_stats IS
    'What retention_stats returns: the period, the counts behind the rates, the rates (fractions) and a 95% '
    'Wilson interval of the churn rate. Rates and interval are NULL when at_start is 0.';
COMMENT ON FUNCTION retention_stats_final(double precision[]) IS
    'Support function of aggregate retention_stats. The retention_stats composite of a retention state, NULL '
    'when it saw no row.';
COMMENT ON AGGREGATE retention_rate(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'retention_rate(active_from, active_until, period_start, period_end): (E - N)/S, the share of the '
    'customers active at period_start still active at period_end (customer retention rate, as a fraction).';
COMMENT ON AGGREGATE churn_rate(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'churn_rate(active_from, active_until, period_start, period_end): the share of the customers active at '
    'period_start whose span ended inside the period (1 - retention_rate).';
COMMENT ON AGGREGATE retention_stats(timestamptz, timestamptz, timestamptz, timestamptz) IS
    'retention_stats(active_from, active_until, period_start, period_end): the retention_stats composite.';
COMMENT ON AGGREGATE retention_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'retention_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual '
    'retention; a customer is active from the first order until last_order + inactivity. Rows with a NULL are '
    'ignored.';
COMMENT ON AGGREGATE churn_rate(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'churn_rate(first_order, last_order, inactivity, period_start, period_end): non-contractual churn; a '
    'customer churns once last_order + inactivity has passed.';
COMMENT ON AGGREGATE retention_stats(timestamptz, timestamptz, interval, timestamptz, timestamptz) IS
    'retention_stats(first_order, last_order, inactivity, period_start, period_end): the non-contractual '
    'retention_stats composite.';
COMMENT ON FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                           integer) IS
    'Support function of aggregate retention_series. Adds one activity span to a series state (rows with a '
    'NULL active_from or parameter are ignored).';
COMMENT ON FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                             integer) IS
    'Support function of aggregate retention_series. Removes one activity span from a series state (inverse '
    'transition).';
COMMENT ON FUNCTION retention_series_combine(double precision[], double precision[]) IS
    'Support function of aggregate retention_series. Merges two partial series states (their periods must '
    'agree).';
COMMENT ON FUNCTION retention_series_final(double precision[]) IS
    'Support function of aggregate retention_series. The retention_stats of every period of a series state, '
    'in order.';
COMMENT ON AGGREGATE retention_series(timestamptz, timestamptz, timestamptz, interval, integer) IS
    'retention_series(active_from, active_until, first_period_start, period_length, periods): an array of '
    'retention_stats, one a period, equal to retention_stats computed period by period; NULL without rows.';
COMMENT ON FUNCTION cohort_period(timestamptz, text) IS
    'cohort_period(event_ts, unit) OVER (PARTITION BY customer ...): the number of calendar periods from the '
    'partition''s earliest event_ts to this row''s (0 in the customer''s first period). NULL event_ts: NULL.';
COMMENT ON FUNCTION cohort_period(timestamptz, timestamptz, text) IS
    'cohort_period(cohort_start, event_ts, unit): the number of calendar periods from cohort_start to '
    'event_ts.';
COMMENT ON TYPE cohort_retention_cell IS
    'One cell of the cohort x period retention matrix: customers active in period k (retained) and in period '
    'k or any later one (retained_or_later), each also as a fraction of the cohort.';
COMMENT ON FUNCTION cohort_retention_accum(double precision[], integer[]) IS
    'Support function of aggregate cohort_retention. Adds one customer, given the array of the periods she '
    'was active in, to a cohort_retention state float8[] [cohort_size, retained_0, last_0, retained_1, '
    'last_1, ...].';
COMMENT ON FUNCTION cohort_retention_combine(double precision[], double precision[]) IS
    'Support function of aggregate cohort_retention. Merges two partial cohort_retention states.';
COMMENT ON FUNCTION cohort_retention_final(double precision[]) IS
    'Support function of aggregate cohort_retention. The matrix row of a cohort_retention state: one cell per '
    'period from 0 to the last period reached.';
COMMENT ON AGGREGATE cohort_retention(integer[]) IS
    'cohort_retention(periods): over one row per customer of a cohort (GROUP BY cohort), the array of '
    'cohort_retention_cell for periods 0, 1, ... Duplicate and NULL periods are ignored; no rows give NULL.';
COMMENT ON TYPE sbg_model IS
    'A fitted sBG model: the Beta(alpha, beta) distribution of the per-period churn probability, then the '
    'fit''s diagnostics (log_likelihood is the total over customers).';
COMMENT ON FUNCTION sbg_fit_accum(double precision[], integer, boolean) IS
    'Support function of aggregate sbg_fit. Adds one customer (tenure, churned) to an sbg_fit state: float8[] '
    '[churned_1, censored_1, churned_2, ...].';
COMMENT ON FUNCTION sbg_fit_combine(double precision[], double precision[]) IS
    'Support function of aggregate sbg_fit. Merges two partial sbg_fit states.';
COMMENT ON FUNCTION sbg_fit_final(double precision[]) IS
    'Support function of aggregate sbg_fit. The maximum-likelihood sbg_model of an sbg_fit state, NULL '
    'without customers.';
COMMENT ON AGGREGATE sbg_fit(integer, boolean) IS
    'sbg_fit(tenure, churned): fits the sBG model to one row per customer: tenure = periods the customer was '
    'active (>= 1), churned = lost at the end of them (false: still active, censored). NULL rows are ignored.';
COMMENT ON FUNCTION sbg_survival(sbg_model, integer) IS
    'sbg_survival(model, t): S(t) = B(alpha, beta + t) / B(alpha, beta), the share still active after t '
    'periods.';
COMMENT ON FUNCTION sbg_retention_rate(sbg_model, integer) IS
    'sbg_retention_rate(model, t): r(t) = (beta + t - 1) / (alpha + beta + t - 1), the retention rate at '
    'renewal t.';
COMMENT ON FUNCTION sbg_churn_probability(sbg_model, integer) IS
    'sbg_churn_probability(model, t): P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta).';
COMMENT ON FUNCTION sbg_discounted_expected_residual_lifetime(sbg_model, integer, double precision) IS
    'sbg_discounted_expected_residual_lifetime(model, n, discount_rate): the expected number of further '
    'payments, discounted per period, of a customer who has made n - 1 renewals (n = 1: new), FH 2010 eq. '
    '(6).';
COMMENT ON FUNCTION retention_lift_accum(double precision[], boolean, boolean) IS
    'Support function of aggregate retention_lift. Adds one customer (treated or control, retained or not) to '
    'a retention_lift state.';
COMMENT ON FUNCTION retention_lift_retract(double precision[], boolean, boolean) IS
    'Support function of aggregate retention_lift. Removes one customer from a retention_lift state (inverse '
    'transition for sliding windows).';
COMMENT ON FUNCTION retention_lift_combine(double precision[], double precision[]) IS
    'Support function of aggregate retention_lift. Merges two partial retention_lift states.';
COMMENT ON TYPE retention_lift_result IS
    'What retention_lift returns: both groups'' counts and retention rates (fractions), the absolute lift '
    '(treated - control) and relative lift (absolute / control rate), a 95% Wald interval of the difference, '
    'and the pooled two-proportion z-test (z_score, two-sided p_value). Figures that cannot be computed are '
    'NULL.';
COMMENT ON FUNCTION retention_lift_final(double precision[]) IS
    'Support function of aggregate retention_lift. The retention_lift_result of a state, NULL without '
    'customers.';
COMMENT ON AGGREGATE retention_lift(boolean, boolean) IS
    'retention_lift(treated, retained): did the customers who got the campaign stay more than those who did '
    'not? One row per customer; rows with a NULL are ignored.';
COMMENT ON TYPE bgnbd_model IS 'BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").';
COMMENT ON TYPE mbgnbd_model IS 'MBG/NBD (Batislam, Denizel & Filiztekin 2007).';
COMMENT ON TYPE pareto_nbd_model IS 'Pareto/NBD (Schmittlein, Morrison & Colombo 1987).';
COMMENT ON TYPE bgbb_model IS 'BG/BB, discrete time (Fader, Hardie & Shang 2010).';
COMMENT ON TYPE gamma_gamma_model IS 'Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV").';
COMMENT ON FUNCTION model_fit_combine(internal, internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. Merges '
    'two partial model-fit states (parallel workers).';
COMMENT ON FUNCTION model_fit_serialize(internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. A '
    'model-fit state as bytes, to pass it between processes.';
COMMENT ON FUNCTION model_fit_deserialize(bytea, internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. A '
    'model-fit state from model_fit_serialize''s bytes, validated before it is used.';
COMMENT ON FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate bgnbd_fit. Adds a customer (frequency, recency, t) to a BG/NBD fit state; '
    'rows with a NULL are skipped.';
COMMENT ON FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision,
                                    double precision) IS
    'Support function of aggregate bgnbd_fit. Adds a customer to a penalised BG/NBD fit state (the penalizer '
    'must be the same on every row).';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS
    'Support function of aggregate bgnbd_fit. Fits BG/NBD to the rows of a state.';
COMMENT ON AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision) IS
    'bgnbd_fit(frequency, recency, t): the BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum '
    'likelihood.';
COMMENT ON AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision,
                               penalizer double precision) IS
    'bgnbd_fit(frequency, recency, t, penalizer): BG/NBD with an L2 penalty on the parameters, as lifetimes.';
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer (frequency, recency, t) to an MBG/NBD fit '
    'state.';
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision,
                                     double precision) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer to a penalised MBG/NBD fit state.';
COMMENT ON FUNCTION mbgnbd_fit_final(internal) IS
    'Support function of aggregate mbgnbd_fit. Fits MBG/NBD to the rows of a state.';
COMMENT ON AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision) IS
    'mbgnbd_fit(frequency, recency, t): the MBG/NBD model (Batislam, Denizel & Filiztekin 2007).';
COMMENT ON AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision,
                                penalizer double precision) IS
    'mbgnbd_fit(frequency, recency, t, penalizer): MBG/NBD with an L2 penalty on the parameters.';
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer (frequency, recency, t) to a Pareto/NBD '
    'fit state.';
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision,
                                         double precision) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer to a penalised Pareto/NBD fit state.';
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS
    'Support function of aggregate pareto_nbd_fit. Fits Pareto/NBD to the rows of a state.';
COMMENT ON AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision) IS
    'pareto_nbd_fit(frequency, recency, t): the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).';
COMMENT ON AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision,
                                    penalizer double precision) IS
    'pareto_nbd_fit(frequency, recency, t, penalizer): Pareto/NBD with an L2 penalty on the parameters.';
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate bgbb_fit. Adds a donor (frequency, recency, n_periods) to a BG/BB fit '
    'state.';
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision,
                                   double precision) IS
    'Support function of aggregate bgbb_fit. Adds `count` identical donors (a pre-aggregated row) to a BG/BB '
    'fit state.';
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision,
                                   double precision) IS
    'Support function of aggregate bgbb_fit. Adds `count` identical donors to a penalised BG/BB fit state.';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS
    'Support function of aggregate bgbb_fit. Fits BG/BB to the rows of a state.';
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision) IS
    'bgbb_fit(frequency, recency, n_periods): the discrete-time BG/BB model (Fader, Hardie & Shang 2010).';
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                              count double precision) IS
    'bgbb_fit(frequency, recency, n_periods, count): BG/BB on pre-aggregated rows, each standing for `count` '
    'donors.';
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                              count double precision, penalizer double precision) IS
    'bgbb_fit(frequency, recency, n_periods, count, penalizer): BG/BB with an L2 penalty (count 1 for plain '
    'rows).';
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer (frequency, monetary) to a Gamma-Gamma '
    'fit state; frequency 0 is skipped.';
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer to a penalised Gamma-Gamma fit state.';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS
    'Support function of aggregate gamma_gamma_fit. Fits Gamma-Gamma to the rows of a state.';
COMMENT ON AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision) IS
    'gamma_gamma_fit(frequency, monetary): the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and '
    'CLV") fitted to the repeat buyers; monetary is the mean value of the repeat transactions.';
COMMENT ON AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision,
                                     penalizer double precision) IS
    'gamma_gamma_fit(frequency, monetary, penalizer): Gamma-Gamma with an L2 penalty on the parameters.';
COMMENT ON FUNCTION bgnbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate bgnbd_fit. Adds a customer_summary composite to a BG/NBD fit state.';
COMMENT ON AGGREGATE bgnbd_fit(summary customer_summary_result) IS
    'bgnbd_fit(summary): BG/NBD fitted to customer_summary composites.';
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer_summary composite to an MBG/NBD fit state.';
COMMENT ON AGGREGATE mbgnbd_fit(summary customer_summary_result) IS
    'mbgnbd_fit(summary): MBG/NBD fitted to customer_summary composites.';
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer_summary composite to a Pareto/NBD fit '
    'state.';
COMMENT ON AGGREGATE pareto_nbd_fit(summary customer_summary_result) IS
    'pareto_nbd_fit(summary): Pareto/NBD fitted to customer_summary composites.';
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer_summary composite (frequency, monetary) '
    'to a Gamma-Gamma fit state.';
COMMENT ON AGGREGATE gamma_gamma_fit(summary customer_summary_result) IS
    'gamma_gamma_fit(summary): Gamma-Gamma fitted to the repeat buyers among customer_summary composites.';
COMMENT ON TYPE model_likelihood IS
    'What the log-likelihood aggregates return: the total log-likelihood, its gradient with respect to the '
    'model''s parameters (in the model composite''s order), and the number of customers.';
COMMENT ON FUNCTION model_likelihood_combine(double precision[], double precision[]) IS
    'Support function of aggregates bgnbd_log_likelihood, mbgnbd_log_likelihood, pareto_nbd_log_likelihood, '
    'bgbb_log_likelihood, gamma_gamma_log_likelihood. Merges two partial log-likelihood states (same model, '
    'same parameters).';
COMMENT ON FUNCTION model_likelihood_final(double precision[]) IS
    'Support function of aggregates bgnbd_log_likelihood, mbgnbd_log_likelihood, pareto_nbd_log_likelihood, '
    'bgbb_log_likelihood, gamma_gamma_log_likelihood. The model_likelihood of a state; NULL when it holds no '
    'customer.';
COMMENT ON FUNCTION bgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                           bgnbd_model) IS
    'Support function of aggregate bgnbd_log_likelihood. Adds a customer''s BG/NBD log-likelihood and '
    'gradient at the model''s parameters to a state.';
COMMENT ON AGGREGATE bgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                          model bgnbd_model) IS
    'bgnbd_log_likelihood(frequency, recency, t, model): BG/NBD log-likelihood and gradient d/d(r, alpha, a, '
    'b) at the model''s parameters (its other fields are ignored; the model must be the same on every row).';
COMMENT ON FUNCTION mbgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                            mbgnbd_model) IS
    'Support function of aggregate mbgnbd_log_likelihood. Adds a customer''s MBG/NBD log-likelihood and '
    'gradient at the model''s parameters to a state.';
COMMENT ON AGGREGATE mbgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                           model mbgnbd_model) IS
    'mbgnbd_log_likelihood(frequency, recency, t, model): MBG/NBD log-likelihood and gradient d/d(r, alpha, '
    'a, b).';
COMMENT ON FUNCTION pareto_nbd_likelihood_accum(double precision[], double precision, double precision,
                                                double precision, pareto_nbd_model) IS
    'Support function of aggregate pareto_nbd_log_likelihood. Adds a customer''s Pareto/NBD log-likelihood '
    'and gradient at the model''s parameters to a state.';
COMMENT ON AGGREGATE pareto_nbd_log_likelihood(frequency double precision, recency double precision,
                                               t double precision, model pareto_nbd_model) IS
    'pareto_nbd_log_likelihood(frequency, recency, t, model): Pareto/NBD log-likelihood and gradient d/d(r, '
    'alpha, s, beta).';
COMMENT ON FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                          bgbb_model) IS
    'Support function of aggregate bgbb_log_likelihood. Adds a donor''s BG/BB log-likelihood and gradient at '
    'the model''s parameters to a state.';
COMMENT ON FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                          double precision, bgbb_model) IS
    'Support function of aggregate bgbb_log_likelihood. Adds `count` identical donors'' BG/BB log-likelihood '
    'and gradient to a state.';
COMMENT ON AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                         n_periods double precision, model bgbb_model) IS
    'bgbb_log_likelihood(frequency, recency, n_periods, model): BG/BB log-likelihood and gradient d/d(alpha, '
    'beta, gamma, delta).';
COMMENT ON AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                         n_periods double precision, count double precision, model bgbb_model) IS
    'bgbb_log_likelihood(frequency, recency, n_periods, count, model): the same on pre-aggregated rows.';
COMMENT ON FUNCTION gamma_gamma_likelihood_accum(double precision[], double precision, double precision,
                                                 gamma_gamma_model) IS
    'Support function of aggregate gamma_gamma_log_likelihood. Adds a customer''s Gamma-Gamma log-likelihood '
    'and gradient to a state (frequency 0 adds nothing).';
COMMENT ON AGGREGATE gamma_gamma_log_likelihood(frequency double precision, monetary double precision,
                                                model gamma_gamma_model) IS
    'gamma_gamma_log_likelihood(frequency, monetary, model): Gamma-Gamma log-likelihood and gradient d/d(p, '
    'q, v) over the repeat buyers.';
COMMENT ON FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                   t double precision, customers bigint, seed bigint) IS
    'bgnbd_simulate(r, alpha, a, b, t, customers, seed): BG/NBD customers observed for t time units.';
COMMENT ON FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                   t double precision, customers bigint, seed bigint, p double precision,
                                   q double precision, v double precision) IS
    'bgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';
COMMENT ON FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision,
                                    b double precision, t double precision, customers bigint, seed bigint) IS
    'mbgnbd_simulate(r, alpha, a, b, t, customers, seed): MBG/NBD customers observed for t time units.';
COMMENT ON FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision,
                                    b double precision, t double precision, customers bigint, seed bigint,
                                    p double precision, q double precision, v double precision) IS
    'mbgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';
COMMENT ON FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                        beta double precision, t double precision, customers bigint, seed bigint) IS
    'pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed): Pareto/NBD customers observed for t time '
    'units.';
COMMENT ON FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                        beta double precision, t double precision, customers bigint, seed bigint,
                                        p double precision, q double precision, v double precision) IS
    'pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';
COMMENT ON FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                                  delta double precision, n_periods integer, customers bigint, seed bigint) IS
    'bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed): BG/BB customers over n_periods '
    'transaction opportunities.';
COMMENT ON FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                                  delta double precision, n_periods integer, customers bigint, seed bigint,
                                  p double precision, q double precision, v double precision) IS
    'bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed, p, q, v): the same with Gamma-Gamma '
    'spend.';
COMMENT ON FUNCTION p_alive(model bgnbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'BG/NBD P(alive at t | frequency, recency, t) (Fader, Hardie & Lee 2005 note "Computing P(alive)"); 1 '
    'when frequency = 0.';
COMMENT ON FUNCTION churn_probability(model bgnbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'BG/NBD churn probability: 1 - P(alive).';
COMMENT ON FUNCTION expected_purchases(model bgnbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'BG/NBD expected purchases in (t, t + horizon] given the customer''s history (FHL 2005 eq. 10).';
COMMENT ON FUNCTION expected_purchases_unconditional(model bgnbd_model, t double precision) IS
    'BG/NBD expected repeat purchases in (0, t] of a customer just acquired, the population mean (FHL 2005 '
    'eq. 9).';
COMMENT ON FUNCTION probability_of_purchases(model bgnbd_model, t double precision, k integer) IS
    'BG/NBD probability that a customer just acquired makes exactly k repeat purchases in (0, t] (FHL 2005 '
    'eq. 8).';
COMMENT ON FUNCTION p_alive(model mbgnbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'MBG/NBD P(alive) (Batislam, Denizel & Filiztekin 2007); below 1 also when frequency = 0.';
COMMENT ON FUNCTION churn_probability(model mbgnbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'MBG/NBD churn probability: 1 - P(alive).';
COMMENT ON FUNCTION expected_purchases(model mbgnbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'MBG/NBD expected purchases in (t, t + horizon] given the customer''s history.';
COMMENT ON FUNCTION expected_purchases_unconditional(model mbgnbd_model, t double precision) IS
    'MBG/NBD expected repeat purchases in (0, t] of a customer just acquired.';
COMMENT ON FUNCTION probability_of_purchases(model mbgnbd_model, t double precision, k integer) IS
    'MBG/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired.';
COMMENT ON FUNCTION p_alive(model pareto_nbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'Pareto/NBD P(alive at t | frequency, recency, t) (Fader & Hardie 2005 note, section 5).';
COMMENT ON FUNCTION churn_probability(model pareto_nbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'Pareto/NBD churn probability: 1 - P(alive).';
COMMENT ON FUNCTION expected_purchases(model pareto_nbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'Pareto/NBD expected purchases in (t, t + horizon] given the customer''s history (Fader & Hardie 2005, '
    'section 6).';
COMMENT ON FUNCTION expected_purchases_unconditional(model pareto_nbd_model, t double precision) IS
    'Pareto/NBD expected repeat purchases in (0, t] of a customer just acquired (Fader & Hardie 2005, section '
    '4).';
COMMENT ON FUNCTION probability_of_purchases(model pareto_nbd_model, t double precision, k integer) IS
    'Pareto/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired (Fader & '
    'Hardie 2006).';
COMMENT ON FUNCTION p_alive(model bgbb_model, frequency double precision, recency double precision,
                            n_periods double precision) IS
    'BG/BB P(alive at opportunity n_periods + 1 | frequency, recency, n_periods) (Fader, Hardie & Shang 2010, '
    'eq. 11); all three are whole numbers of opportunities.';
COMMENT ON FUNCTION churn_probability(model bgbb_model, frequency double precision, recency double precision,
                                      n_periods double precision) IS
    'BG/BB churn probability: 1 - P(alive at opportunity n_periods + 1).';
COMMENT ON FUNCTION expected_purchases(model bgbb_model, frequency double precision, recency double precision,
                                       n_periods double precision, future_periods double precision) IS
    'BG/BB expected transactions in the next future_periods opportunities given the history (FHS 2010 eq. '
    '13).';
COMMENT ON FUNCTION expected_purchases_unconditional(model bgbb_model, n_periods double precision) IS
    'BG/BB expected transactions in the first n_periods opportunities of a customer just acquired (FHS eq. '
    '8).';
COMMENT ON FUNCTION probability_of_purchases(model bgbb_model, n_periods double precision, k integer) IS
    'BG/BB probability of exactly k transactions in n_periods opportunities for a customer just acquired (FHS '
    'eq. 7).';
COMMENT ON FUNCTION expected_spend(model gamma_gamma_model, frequency double precision, monetary double precision) IS
    'Gamma-Gamma expected average spend per transaction of a customer with `frequency` repeat purchases of '
    'mean value `monetary` (Fader, Hardie & Lee 2005, "RFM and CLV"); frequency 0 gives the population mean p '
    'v/(q-1).';
COMMENT ON FUNCTION p_alive(model bgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION p_alive(model mbgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION p_alive(model pareto_nbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION churn_probability(model bgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION churn_probability(model mbgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION churn_probability(model pareto_nbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION expected_purchases(model bgnbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION expected_purchases(model mbgnbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION expected_purchases(model pareto_nbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
COMMENT ON FUNCTION expected_spend(model gamma_gamma_model, summary customer_summary_result) IS
    'Gamma-Gamma expected spend from the summary''s frequency and monetary.';
COMMENT ON FUNCTION p_alive(frequency double precision, recency double precision, t double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';
COMMENT ON FUNCTION p_alive(frequency double precision, recency double precision, t double precision, model text,
                            penalizer double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';
COMMENT ON FUNCTION p_alive(summary customer_summary_result, model text, penalizer double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';
COMMENT ON FUNCTION churn_probability(frequency double precision, recency double precision, t double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
COMMENT ON FUNCTION churn_probability(frequency double precision, recency double precision, t double precision,
                                      model text, penalizer double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
COMMENT ON FUNCTION churn_probability(summary customer_summary_result, model text, penalizer double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
COMMENT ON FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a BG/NBD transaction model and a Gamma-Gamma spend model.';
COMMENT ON FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with an MBG/NBD transaction model and a Gamma-Gamma spend model.';
COMMENT ON FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a Pareto/NBD transaction model and a Gamma-Gamma spend model.';
COMMENT ON FUNCTION clv_estimate(transaction_model bgbb_model, spend_model gamma_gamma_model,
                                 frequency double precision, recency double precision, n_periods double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV with a BG/BB transaction model (t = n_periods and period_length in whole opportunities) and '
    'Gamma-Gamma.';
COMMENT ON FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';
COMMENT ON FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';
COMMENT ON FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                 summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'CLV of a customer_summary_result (frequency, recency, t, monetary; NULL without calibration data).';
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision) IS
    'Window forms: the transaction model (default Pareto/NBD; `model` one of ''bgnbd'', ''mbgnbd'', '
    '''pareto_nbd'', ''bgbb'', with an optional L2 `penalizer`, both read from the partition''s first row) '
    'and Gamma-Gamma (on the rows with frequency > 0) fitted once on the whole partition, then the CLV of '
    'each row. Rows with a NULL argument get NULL and take no part in the fits.';
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision) IS
    'Window form with period_length = 1 time unit of the data.';
COMMENT ON FUNCTION clv_estimate(frequency double precision, recency double precision, t double precision,
                                 monetary double precision, horizon integer, discount_rate double precision,
                                 period_length double precision, model text, penalizer double precision) IS
    'Window form with a named model.';
COMMENT ON FUNCTION clv_estimate(summary customer_summary_result, horizon integer, discount_rate double precision,
                                 period_length double precision, model text, penalizer double precision) IS
    'Window form over customer_summary_result composites.';
COMMENT ON TYPE customer_scores_result IS
    'What customer_scores returns: P(alive), churn probability, expected purchases and CLV over the horizon, '
    'and the churn-risk segment.';
COMMENT ON FUNCTION customer_scores(summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, model text, penalizer double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Window form: the transaction model (default Pareto/NBD) and Gamma-Gamma fitted once on the partition.';
COMMENT ON FUNCTION customer_scores(frequency double precision, recency double precision, t double precision,
                                    monetary double precision, horizon integer, discount_rate double precision,
                                    period_length double precision, model text, penalizer double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Window form over plain columns.';
COMMENT ON FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, summary customer_summary_result,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model,
                                    summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, risk_boundaries double precision[],
                                    risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model,
                                    summary customer_summary_result, horizon integer, discount_rate double precision,
                                    period_length double precision, risk_boundaries double precision[],
                                    risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model bgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model mbgnbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model pareto_nbd_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, t double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'Scalar forms with stored models (a view over a table of fitted models): the same composite.';
COMMENT ON FUNCTION customer_scores(model bgbb_model, spend_model gamma_gamma_model, frequency double precision,
                                    recency double precision, n_periods double precision, monetary double precision,
                                    horizon integer, discount_rate double precision, period_length double precision,
                                    risk_boundaries double precision[], risk_labels text[]) IS
    'BG/BB: frequency, recency and n_periods in whole opportunities (period_length too).';
COMMENT ON TYPE holdout_check_result IS
    'What holdout_check returns: totals and error figures over the customers, and the means by calibration '
    'frequency.';
COMMENT ON FUNCTION holdout_check_combine(double precision[], double precision[]) IS
    'Support function of aggregate holdout_check. Merges two partial states (parallel workers); callable only '
    'by the aggregates.';
COMMENT ON FUNCTION holdout_check_final(double precision[]) IS
    'Support function of aggregate holdout_check. The holdout_check_result of a state; callable only by the '
    'aggregates.';
COMMENT ON FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, double precision, double precision,
                                        double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, double precision, double precision,
                                         double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, double precision, double precision,
                                             double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION bgbb_holdout_accum(double precision[], bgbb_model, double precision, double precision,
                                       double precision, double precision, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION bgnbd_holdout_accum(double precision[], bgnbd_model, customer_summary_result, double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION mbgnbd_holdout_accum(double precision[], mbgnbd_model, customer_summary_result,
                                         double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON FUNCTION pareto_nbd_holdout_accum(double precision[], pareto_nbd_model, customer_summary_result,
                                             double precision) IS
    'Support function of aggregate holdout_check. Transition functions (one per model and input form); '
    'callable only by the aggregates.';
COMMENT ON AGGREGATE holdout_check(model bgnbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
COMMENT ON AGGREGATE holdout_check(model mbgnbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
COMMENT ON AGGREGATE holdout_check(model pareto_nbd_model, frequency double precision, recency double precision,
                                   t double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
COMMENT ON AGGREGATE holdout_check(model bgbb_model, frequency double precision, recency double precision,
                                   n_periods double precision, holdout_purchases double precision,
                                   holdout_length double precision) IS
    'holdout_check(model, frequency, recency, t, holdout_purchases, holdout_length): calibration summaries as '
    'plain columns (BG/BB: recency and n_periods in opportunities, holdout_length a whole number of them).';
COMMENT ON AGGREGATE holdout_check(model bgnbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
COMMENT ON AGGREGATE holdout_check(model mbgnbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
COMMENT ON AGGREGATE holdout_check(model pareto_nbd_model, summary customer_summary_result,
                                   holdout_length double precision) IS
    'holdout_check(model, summary, holdout_length): customer_summary composites; the holdout purchases are '
    'their holdout_frequency (purchase days after as_of), holdout_length the time from as_of to the end of '
    'the data in the summaries'' unit. Customers without calibration data are skipped.';
COMMENT ON TYPE order_kpis_result IS
    'What order_kpis returns. A purchase day is a calendar day (session TimeZone) on which a customer '
    'ordered.';
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision) IS
    'Support function of aggregate order_kpis. Adds one order to an order_kpis state (NULL customer, time or '
    'amount: the row is ignored).';
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                     timestamp with time zone) IS
    'Support function of aggregate order_kpis. Adds one order with the customer''s first contact time (NULL: '
    'no contact known) to an order_kpis state.';
COMMENT ON FUNCTION order_kpis_combine(internal, internal) IS
    'Support function of aggregate order_kpis. Merges two partial order_kpis states (parallel workers): '
    'customers present in both merge their days.';
COMMENT ON FUNCTION order_kpis_serialize(internal) IS
    'Support function of aggregate order_kpis. An order_kpis state as bytes, for parallel workers.';
COMMENT ON FUNCTION order_kpis_deserialize(bytea, internal) IS
    'Support function of aggregate order_kpis. An order_kpis state from its bytes, validated before use.';
COMMENT ON FUNCTION order_kpis_final(internal) IS
    'Support function of aggregate order_kpis. The order_kpis_result of a state; NULL when no order was '
    'counted.';
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision) IS
    'order_kpis(customer_id, ordered_at, amount): the KPIs of the group''s orders (GROUP BY '
    'date_trunc(''month'', ordered_at) for a monthly dashboard). Calendar days in the session''s TimeZone.';
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                first_contact timestamp with time zone) IS
    'order_kpis(customer_id, ordered_at, amount, first_contact): as above, with the mean days from each '
    'customer''s first contact (the earliest non-NULL value of its rows) to its first order.';
COMMENT ON TYPE purchase_gaps_result IS
    'What purchase_gaps returns; gaps are between consecutive purchase days (calendar days, session '
    'TimeZone), in days. Figures that need more purchase days than the customer has are NULL.';
COMMENT ON FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone) IS
    'Support function of aggregate purchase_gaps. Adds one order time to a purchase_gaps state.';
COMMENT ON FUNCTION purchase_gaps_combine(internal, internal) IS
    'Support function of aggregate purchase_gaps. Merges two partial purchase_gaps states (parallel workers); '
    'as_of must agree.';
COMMENT ON FUNCTION purchase_gaps_serialize(internal) IS
    'Support function of aggregate purchase_gaps. A purchase_gaps state as bytes, for parallel workers.';
COMMENT ON FUNCTION purchase_gaps_deserialize(bytea, internal) IS
    'Support function of aggregate purchase_gaps. A purchase_gaps state from its bytes, validated before use.';
COMMENT ON FUNCTION purchase_gaps_final(internal) IS
    'Support function of aggregate purchase_gaps. The purchase_gaps_result of a state; NULL without a '
    'purchase day up to as_of.';
COMMENT ON AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone) IS
    'purchase_gaps(ordered_at, as_of): the purchase-gap signals of one customer''s orders (use with GROUP BY '
    'customer) as of as_of, which must be the same on every row of a group. Orders of days after as_of''s day '
    'are left out; NULL order times are ignored.';
COMMENT ON TYPE mean_lift_result IS
    'What mean_lift returns: each group''s size, mean and standard deviation, the difference of means '
    '(treated - control), the relative difference (/ control mean), its confidence interval, Welch''s t, its '
    'degrees of freedom and the two-sided p-value. Figures that cannot be computed are NULL.';
COMMENT ON FUNCTION mean_lift_accum(double precision[], boolean, double precision) IS
    'Support function of aggregate mean_lift. Adds one value of the treated (true) or control (false) group '
    'to a mean_lift state.';
COMMENT ON FUNCTION mean_lift_combine(double precision[], double precision[]) IS
    'Support function of aggregate mean_lift. Merges two partial mean_lift states.';
COMMENT ON FUNCTION mean_lift_final(double precision[]) IS
    'Support function of aggregate mean_lift. The mean_lift_result of a state (95% interval); NULL without '
    'values.';
COMMENT ON AGGREGATE mean_lift(treated boolean, value double precision) IS
    'mean_lift(treated, value): is the treated group''s mean (or the "after" period''s) different from the '
    'control group''s (the "before" period''s)? Rows with a NULL are ignored.';
COMMENT ON FUNCTION mean_lift_accum(double precision[], boolean, double precision, double precision) IS
    'Support function of aggregate mean_lift. Adds one value to a mean_lift state that carries a confidence '
    'level (the same on every row; 0 < level < 1).';
COMMENT ON FUNCTION mean_lift_confidence_combine(double precision[], double precision[]) IS
    'Support function of aggregate mean_lift. Merges two partial mean_lift states that carry a confidence '
    'level (the levels must agree).';
COMMENT ON FUNCTION mean_lift_confidence_final(double precision[]) IS
    'Support function of aggregate mean_lift. The mean_lift_result of a state at its own confidence level.';
COMMENT ON AGGREGATE mean_lift(treated boolean, value double precision, confidence double precision) IS
    'mean_lift(treated, value, confidence): as above with the interval at the given level (e.g. 0.9).';
COMMENT ON TYPE customer_state IS
    'A customer''s state: what its customer_summary needs. Calendar days in the session''s TimeZone.';
COMMENT ON FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                       amount double precision) IS
    'customer_state_add(state, ordered_at, amount): the state with one more order (a NULL state: a new one; a '
    'NULL time or amount: the state unchanged).';
COMMENT ON FUNCTION customer_state_merge(a customer_state, b customer_state) IS
    'customer_state_merge(a, b): the state of both sets of orders of one customer (NULL when both are NULL).';
COMMENT ON FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision) IS
    'Support function of aggregate customer_state_agg. Adds one order to a customer_state_agg state.';
COMMENT ON FUNCTION customer_state_agg_combine(internal, internal) IS
    'Support function of aggregate customer_state_agg. Merges two partial customer_state_agg states (parallel '
    'workers).';
COMMENT ON FUNCTION customer_state_agg_serialize(internal) IS
    'Support function of aggregate customer_state_agg. A customer_state_agg state as bytes, for parallel '
    'workers.';
COMMENT ON FUNCTION customer_state_agg_deserialize(bytea, internal) IS
    'Support function of aggregate customer_state_agg. A customer_state_agg state from its bytes, validated '
    'before use.';
COMMENT ON FUNCTION customer_state_agg_final(internal) IS
    'Support function of aggregate customer_state_agg. The customer_state of a customer_state_agg state; NULL '
    'when no order was counted.';
COMMENT ON AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision) IS
    'customer_state_agg(ordered_at, amount): the state of one customer''s orders (use with GROUP BY '
    'customer); NULL times or amounts are ignored, no order gives NULL.';
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone) IS
    'customer_state_summary(state, as_of [, unit]): the customer_summary_result that '
    'customer_summary(ordered_at, amount, as_of [, unit]) gives over the customer''s orders, for an as_of on '
    'or after the last purchase day (an earlier as_of is an error 22023: the state keeps no revenue per day '
    'to split at). Holdout fields are 0.';
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text) IS
    'customer_state_summary(state, as_of, unit): the same with recency and t in ''day'', ''week'' or '
    '''month''.';
COMMENT ON FUNCTION customer_state_trigger() IS
    'customer_state_trigger(state_table, customer_column, ordered_at_column, amount_column [, state_column]): '
    'an AFTER trigger on an orders table keeping state_table (customer column of the same name with a unique '
    'index, and a customer_state column, `state` by default) current. FOR EACH ROW on INSERT, or FOR EACH '
    'STATEMENT with REFERENCING NEW TABLE for bulk loads. A row-level UPDATE that keeps customer, time and '
    'amount is allowed; other UPDATEs, DELETE and TRUNCATE are refused (0A000). (Marked PARALLEL SAFE like '
    'every function of the extension: a trigger function is never called by a query, and PostgreSQL never '
    'runs an INSERT''s triggers in a parallel worker.)';
COMMENT ON FUNCTION bgnbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                          penalizer double precision, sample_rows integer) IS
    'bgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): BG/NBD fitted over the '
    'columns of `source` without moving its rows; the same result as bgnbd_fit over them.';
COMMENT ON FUNCTION mbgnbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                           penalizer double precision, sample_rows integer) IS
    'mbgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): MBG/NBD, as mbgnbd_fit.';
COMMENT ON FUNCTION pareto_nbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                               penalizer double precision, sample_rows integer) IS
    'pareto_nbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): Pareto/NBD, as '
    'pareto_nbd_fit.';
COMMENT ON FUNCTION bgbb_fit_distributed(source regclass, frequency text, recency text, n_periods text,
                                         penalizer double precision, sample_rows integer) IS
    'bgbb_fit_distributed(source, frequency, recency, n_periods, penalizer, sample_rows): BG/BB on one row '
    'per customer, as bgbb_fit(frequency, recency, n_periods).';
COMMENT ON FUNCTION gamma_gamma_fit_distributed(source regclass, frequency text, monetary text,
                                                penalizer double precision, sample_rows integer) IS
    'gamma_gamma_fit_distributed(source, frequency, monetary, penalizer, sample_rows): Gamma-Gamma over the '
    'repeat buyers, as gamma_gamma_fit.';
COMMENT ON FUNCTION retention_inactivity_accum(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                               timestamptz, text) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Adds one customer to a '
    'non-contractual retention state, last_order + inactivity counted in `zone`.';
COMMENT ON FUNCTION retention_inactivity_retract(double precision[], timestamptz, timestamptz, interval, timestamptz,
                                                 timestamptz, text) IS
    'Support function of aggregates retention_rate, churn_rate, retention_stats. Removes one customer from a '
    'non-contractual retention state of the zone form (inverse transition).';
COMMENT ON AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                    period_start timestamptz, period_end timestamptz, time_zone text) IS
    'retention_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual '
    'retention with the inactivity''s months and days counted in the time zone `zone`.';
COMMENT ON AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
                                period_start timestamptz, period_end timestamptz, time_zone text) IS
    'churn_rate(first_order, last_order, inactivity, period_start, period_end, zone): non-contractual churn '
    'with the inactivity counted in the time zone `zone`.';
COMMENT ON AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
                                     period_start timestamptz, period_end timestamptz, time_zone text) IS
    'retention_stats(first_order, last_order, inactivity, period_start, period_end, zone): the '
    'non-contractual retention_stats composite with the inactivity counted in the time zone `zone`.';
COMMENT ON FUNCTION retention_series_accum(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                           integer, text) IS
    'Support function of aggregate retention_series. Adds one activity span to a series state of the zone '
    'form: [run_starts 0..P, run_ends 0..P, boundaries 1..P (epoch seconds), zone key, first_period_start, '
    'period_length months, days, microseconds, P], the boundaries first_period_start + k * period_length '
    'counted in `zone` (the final function has no zone argument).';
COMMENT ON FUNCTION retention_series_retract(double precision[], timestamptz, timestamptz, timestamptz, interval,
                                             integer, text) IS
    'Support function of aggregate retention_series. Removes one activity span from a series state of the '
    'zone form (inverse transition).';
COMMENT ON AGGREGATE retention_series(active_from timestamptz, active_until timestamptz,
                                      first_period_start timestamptz, period_length interval, periods integer,
                                      time_zone text) IS
    'retention_series(active_from, active_until, first_period_start, period_length, periods, zone): as above, '
    'with the periods'' boundaries counted in the time zone `zone` (a NULL zone, like a NULL parameter: the '
    'row is ignored).';
COMMENT ON FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text, time_zone text) IS
    'cohort_period(cohort_start, event_ts, unit, zone): calendar periods from cohort_start to event_ts in the '
    'time zone `zone` (any name AT TIME ZONE accepts) instead of the session''s TimeZone. It is also the '
    'window form''s zone form: cohort_period(min(event_ts) OVER (PARTITION BY customer), event_ts, unit, '
    'zone). (A window overload cohort_period(timestamptz, text, text) would capture the calls above whose '
    'event_ts is an untyped literal.)';
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision, text) IS
    'Support function of aggregate order_kpis. Adds one order to an order_kpis state, its purchase day taken '
    'in the time zone `zone`.';
COMMENT ON FUNCTION order_kpis_accum(internal, bigint, timestamp with time zone, double precision,
                                     timestamp with time zone, text) IS
    'Support function of aggregate order_kpis. Adds one order with the customer''s first contact time to an '
    'order_kpis state, days in `zone`.';
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                time_zone text) IS
    'order_kpis(customer_id, ordered_at, amount, zone): as order_kpis(customer_id, ordered_at, amount), with '
    'purchase days taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a '
    'group) instead of the session''s TimeZone. A literal first contact time must be cast (timestamptz '
    '''...'') to reach the form below: an untyped literal in fourth place is read as a zone.';
COMMENT ON AGGREGATE order_kpis(customer_id bigint, ordered_at timestamp with time zone, amount double precision,
                                first_contact timestamp with time zone, time_zone text) IS
    'order_kpis(customer_id, ordered_at, amount, first_contact, zone): the form with first contact times, '
    'days in the time zone `zone`.';
COMMENT ON FUNCTION purchase_gaps_accum(internal, timestamp with time zone, timestamp with time zone, text) IS
    'Support function of aggregate purchase_gaps. Adds one order time to a purchase_gaps state, days (and '
    'as_of''s day) taken in the time zone `zone`.';
COMMENT ON AGGREGATE purchase_gaps(ordered_at timestamp with time zone, as_of timestamp with time zone, time_zone text) IS
    'purchase_gaps(ordered_at, as_of, zone): as purchase_gaps(ordered_at, as_of), with purchase days and '
    'as_of''s day taken in the time zone `zone` (any name AT TIME ZONE accepts; the same on every row of a '
    'group) instead of the session''s TimeZone.';
COMMENT ON FUNCTION customer_state_add(state customer_state, ordered_at timestamp with time zone,
                                       amount double precision, time_zone text) IS
    'customer_state_add(state, ordered_at, amount, zone): customer_state_add with the order''s day in `zone`.';
COMMENT ON FUNCTION customer_state_agg_accum(internal, timestamp with time zone, double precision, text) IS
    'Support function of aggregate customer_state_agg. Adds one order to a customer_state_agg state, its day '
    'taken in the time zone `zone`.';
COMMENT ON AGGREGATE customer_state_agg(ordered_at timestamp with time zone, amount double precision, time_zone text) IS
    'customer_state_agg(ordered_at, amount, zone): customer_state_agg with days in `zone` (the same on every '
    'row of a group).';
COMMENT ON FUNCTION customer_state_summary(state customer_state, as_of timestamp with time zone, unit text,
                                           time_zone text) IS
    'customer_state_summary(state, as_of, unit, zone): customer_state_summary with as_of''s day in `zone`.';

-- issue 14: API review (docs/api.md). Additive only, so that users' views and stored models survive the update:
-- argument names for the functions and aggregates that had none (CREATE OR REPLACE keeps every dependent view),
-- discount_rate DEFAULT 0 for clv_estimate's stored-model and composite window forms, and nps, nps_stats, csat and
-- rfm_segment over smallint and bigint scores. The same statements as the fragments of src/sql/.

CREATE OR REPLACE AGGREGATE retention_rate(active_from timestamptz, active_until timestamptz,
                                           period_start timestamptz, period_end timestamptz) (
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

CREATE OR REPLACE AGGREGATE churn_rate(active_from timestamptz, active_until timestamptz, period_start timestamptz,
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

CREATE OR REPLACE AGGREGATE retention_stats(active_from timestamptz, active_until timestamptz,
                                            period_start timestamptz, period_end timestamptz) (
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

CREATE OR REPLACE AGGREGATE retention_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
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

CREATE OR REPLACE AGGREGATE churn_rate(first_order timestamptz, last_order timestamptz, inactivity interval,
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

CREATE OR REPLACE AGGREGATE retention_stats(first_order timestamptz, last_order timestamptz, inactivity interval,
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

CREATE OR REPLACE AGGREGATE retention_series(active_from timestamptz, active_until timestamptz,
                                             first_period_start timestamptz, period_length interval,
                                             periods integer) (
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

CREATE OR REPLACE FUNCTION cohort_period(event_ts timestamptz, unit text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period_window' LANGUAGE C WINDOW STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION cohort_period(cohort_start timestamptz, event_ts timestamptz, unit text) RETURNS integer
    AS 'MODULE_PATHNAME', 'loyalty_cohort_period' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE cohort_retention(periods integer[]) (
    SFUNC = cohort_retention_accum,
    STYPE = double precision[],
    INITCOND = '{0}',
    COMBINEFUNC = cohort_retention_combine,
    FINALFUNC = cohort_retention_final,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sbg_fit(tenure integer, churned boolean) (
    SFUNC = sbg_fit_accum,
    STYPE = double precision[],
    INITCOND = '{}',
    COMBINEFUNC = sbg_fit_combine,
    FINALFUNC = sbg_fit_final,
    PARALLEL = SAFE
);

CREATE OR REPLACE FUNCTION sbg_survival(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_survival' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION sbg_retention_rate(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_retention_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION sbg_churn_probability(model sbg_model, t integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION sbg_discounted_expected_residual_lifetime(model sbg_model, n integer,
                                                                     discount_rate double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_sbg_discounted_expected_residual_lifetime'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE retention_lift(treated boolean, retained boolean) (
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

CREATE OR REPLACE AGGREGATE nps(score integer) (
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

CREATE OR REPLACE AGGREGATE nps_stats(score integer) (
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

CREATE OR REPLACE AGGREGATE nps_stats(score integer, confidence double precision) (
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

CREATE OR REPLACE AGGREGATE csat(score integer) (
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

CREATE OR REPLACE AGGREGATE csat(score integer, scale_max integer) (
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

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                        frequency double precision, recency double precision, t double precision,
                                        monetary double precision, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                        frequency double precision, recency double precision, t double precision,
                                        monetary double precision, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                        frequency double precision, recency double precision, t double precision,
                                        monetary double precision, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model bgbb_model, spend_model gamma_gamma_model,
                                        frequency double precision, recency double precision,
                                        n_periods double precision, monetary double precision, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_clv_estimate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model bgnbd_model, spend_model gamma_gamma_model,
                                        summary customer_summary_result, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model mbgnbd_model, spend_model gamma_gamma_model,
                                        summary customer_summary_result, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(transaction_model pareto_nbd_model, spend_model gamma_gamma_model,
                                        summary customer_summary_result, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_clv_estimate_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION clv_estimate(summary customer_summary_result, horizon integer,
                                        discount_rate double precision DEFAULT 0,
                                        period_length double precision DEFAULT 1, model text DEFAULT 'pareto_nbd',
                                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_clv_estimate_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

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

-- ---------------------------------------------------------------------------------------------------------------
-- csat over smallint and bigint scores (pandas' to_sql writes BIGINT columns; with integer and bigint overloads
-- alone PostgreSQL would find a smallint argument ambiguous). The same states, support and results as the
-- integer forms; scale_max stays an integer. A bigint beyond the integer range is an error 22003.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds one smallint 1-5 rating to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], smallint) IS
    'Support function of aggregate csat. Adds one smallint 1-5 rating to a CSAT state.';

-- Removes one smallint 1-5 rating from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], smallint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], smallint) IS
    'Support function of aggregate csat. Removes one smallint 1-5 rating from a CSAT state.';

-- Adds one smallint rating on a 1-scale_max scale to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], smallint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], smallint, integer) IS
    'Support function of aggregate csat. Adds one smallint rating on a 1-scale_max scale to a CSAT state.';

-- Removes one smallint rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], smallint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], smallint, integer) IS
    'Support function of aggregate csat. Removes one smallint rating on a 1-scale_max scale from a CSAT state.';

-- csat(score smallint): as csat(score integer).
CREATE AGGREGATE csat(score smallint) (
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
COMMENT ON AGGREGATE csat(score smallint) IS
    'csat(score smallint): percent of answers 4 or 5 on a 1-5 scale, as csat(score integer).';

-- csat(score smallint, scale_max): as csat(score integer, scale_max).
CREATE AGGREGATE csat(score smallint, scale_max integer) (
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
COMMENT ON AGGREGATE csat(score smallint, scale_max integer) IS
    'csat(score smallint, scale_max): percent of answers in the top two boxes of a 1-scale_max scale, as '
    'csat(score integer, scale_max).';

-- Adds one bigint 1-5 rating to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], bigint) IS
    'Support function of aggregate csat. Adds one bigint 1-5 rating to a CSAT state.';

-- Removes one bigint 1-5 rating from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], bigint) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], bigint) IS
    'Support function of aggregate csat. Removes one bigint 1-5 rating from a CSAT state.';

-- Adds one bigint rating on a 1-scale_max scale to a CSAT state.
CREATE FUNCTION csat_accum(double precision[], bigint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_accum(double precision[], bigint, integer) IS
    'Support function of aggregate csat. Adds one bigint rating on a 1-scale_max scale to a CSAT state.';

-- Removes one bigint rating on a 1-scale_max scale from a CSAT state.
CREATE FUNCTION csat_retract(double precision[], bigint, integer) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_csat_scale_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION csat_retract(double precision[], bigint, integer) IS
    'Support function of aggregate csat. Removes one bigint rating on a 1-scale_max scale from a CSAT state.';

-- csat(score bigint): as csat(score integer).
CREATE AGGREGATE csat(score bigint) (
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
COMMENT ON AGGREGATE csat(score bigint) IS
    'csat(score bigint): percent of answers 4 or 5 on a 1-5 scale, as csat(score integer).';

-- csat(score bigint, scale_max): as csat(score integer, scale_max).
CREATE AGGREGATE csat(score bigint, scale_max integer) (
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
COMMENT ON AGGREGATE csat(score bigint, scale_max integer) IS
    'csat(score bigint, scale_max): percent of answers in the top two boxes of a 1-scale_max scale, as '
    'csat(score integer, scale_max).';

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
