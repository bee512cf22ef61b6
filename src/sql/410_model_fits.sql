-- ---------------------------------------------------------------------------------------------------------------
-- Model fits: aggregates that fit the "buy till you die" models by maximum likelihood and return the model
-- composites of 400_model_types.sql. State: `internal`, the distinct input rows with their customer counts
-- (memory grows with distinct rows, not customers), serialised to bytea for parallel workers.
-- ---------------------------------------------------------------------------------------------------------------

-- Merges two partial model-fit states (parallel workers).
CREATE FUNCTION model_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION model_fit_combine(internal, internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. Merges '
    'two partial model-fit states (parallel workers).';

-- A model-fit state as bytes, to pass it between processes.
CREATE FUNCTION model_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_fit_serialize(internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. A '
    'model-fit state as bytes, to pass it between processes.';

-- A model-fit state from model_fit_serialize's bytes, validated before it is used.
CREATE FUNCTION model_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_model_fit_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_fit_deserialize(bytea, internal) IS
    'Support function of aggregates bgnbd_fit, mbgnbd_fit, pareto_nbd_fit, bgbb_fit, gamma_gamma_fit. A '
    'model-fit state from model_fit_serialize''s bytes, validated before it is used.';

-- Adds a customer (frequency, recency, t) to a BG/NBD fit state; rows with a NULL are skipped.
CREATE FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate bgnbd_fit. Adds a customer (frequency, recency, t) to a BG/NBD fit state; '
    'rows with a NULL are skipped.';

-- Adds a customer to a penalised BG/NBD fit state (the penalizer must be the same on every row).
CREATE FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_accum(internal, double precision, double precision, double precision,
                                    double precision) IS
    'Support function of aggregate bgnbd_fit. Adds a customer to a penalised BG/NBD fit state (the penalizer '
    'must be the same on every row).';

-- Fits BG/NBD to the rows of a state.
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS
    'Support function of aggregate bgnbd_fit. Fits BG/NBD to the rows of a state.';

-- bgnbd_fit(frequency, recency, t): the BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum likelihood.
CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision) IS
    'bgnbd_fit(frequency, recency, t): the BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum '
    'likelihood.';

-- bgnbd_fit(frequency, recency, t, penalizer): BG/NBD with an L2 penalty on the parameters, as lifetimes.
CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision,
                           penalizer double precision) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(frequency double precision, recency double precision, t double precision,
                               penalizer double precision) IS
    'bgnbd_fit(frequency, recency, t, penalizer): BG/NBD with an L2 penalty on the parameters, as lifetimes.';

-- Adds a customer (frequency, recency, t) to an MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer (frequency, recency, t) to an MBG/NBD fit '
    'state.';

-- Adds a customer to a penalised MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, double precision, double precision, double precision,
                                     double precision) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer to a penalised MBG/NBD fit state.';

-- Fits MBG/NBD to the rows of a state.
CREATE FUNCTION mbgnbd_fit_final(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_final(internal) IS
    'Support function of aggregate mbgnbd_fit. Fits MBG/NBD to the rows of a state.';

-- mbgnbd_fit(frequency, recency, t): the MBG/NBD model (Batislam, Denizel & Filiztekin 2007).
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision) IS
    'mbgnbd_fit(frequency, recency, t): the MBG/NBD model (Batislam, Denizel & Filiztekin 2007).';

-- mbgnbd_fit(frequency, recency, t, penalizer): MBG/NBD with an L2 penalty on the parameters.
CREATE AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision,
                            penalizer double precision) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mbgnbd_fit(frequency double precision, recency double precision, t double precision,
                                penalizer double precision) IS
    'mbgnbd_fit(frequency, recency, t, penalizer): MBG/NBD with an L2 penalty on the parameters.';

-- Adds a customer (frequency, recency, t) to a Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer (frequency, recency, t) to a Pareto/NBD '
    'fit state.';

-- Adds a customer to a penalised Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision,
                                     double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, double precision, double precision, double precision,
                                         double precision) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer to a penalised Pareto/NBD fit state.';

-- Fits Pareto/NBD to the rows of a state.
CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS
    'Support function of aggregate pareto_nbd_fit. Fits Pareto/NBD to the rows of a state.';

-- pareto_nbd_fit(frequency, recency, t): the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
CREATE AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision) IS
    'pareto_nbd_fit(frequency, recency, t): the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).';

-- pareto_nbd_fit(frequency, recency, t, penalizer): Pareto/NBD with an L2 penalty on the parameters.
CREATE AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision,
                                penalizer double precision) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_fit(frequency double precision, recency double precision, t double precision,
                                    penalizer double precision) IS
    'pareto_nbd_fit(frequency, recency, t, penalizer): Pareto/NBD with an L2 penalty on the parameters.';

-- Adds a donor (frequency, recency, n_periods) to a BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate bgbb_fit. Adds a donor (frequency, recency, n_periods) to a BG/BB fit '
    'state.';

-- Adds `count` identical donors (a pre-aggregated row) to a BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision,
                                   double precision) IS
    'Support function of aggregate bgbb_fit. Adds `count` identical donors (a pre-aggregated row) to a BG/BB '
    'fit state.';

-- Adds `count` identical donors to a penalised BG/BB fit state.
CREATE FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision,
                               double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_accum(internal, double precision, double precision, double precision, double precision,
                                   double precision) IS
    'Support function of aggregate bgbb_fit. Adds `count` identical donors to a penalised BG/BB fit state.';

-- Fits BG/BB to the rows of a state.
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_final(internal) IS
    'Support function of aggregate bgbb_fit. Fits BG/BB to the rows of a state.';

-- bgbb_fit(frequency, recency, n_periods): the discrete-time BG/BB model (Fader, Hardie & Shang 2010).
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision) IS
    'bgbb_fit(frequency, recency, n_periods): the discrete-time BG/BB model (Fader, Hardie & Shang 2010).';

-- bgbb_fit(frequency, recency, n_periods, count): BG/BB on pre-aggregated rows, each standing for `count` donors.
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                          count double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                              count double precision) IS
    'bgbb_fit(frequency, recency, n_periods, count): BG/BB on pre-aggregated rows, each standing for `count` '
    'donors.';

-- bgbb_fit(frequency, recency, n_periods, count, penalizer): BG/BB with an L2 penalty (count 1 for plain rows).
CREATE AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                          count double precision, penalizer double precision) (
    SFUNC = bgbb_fit_accum, STYPE = internal, FINALFUNC = bgbb_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_fit(frequency double precision, recency double precision, n_periods double precision,
                              count double precision, penalizer double precision) IS
    'bgbb_fit(frequency, recency, n_periods, count, penalizer): BG/BB with an L2 penalty (count 1 for plain '
    'rows).';

-- Adds a customer (frequency, monetary) to a Gamma-Gamma fit state; frequency 0 is skipped.
CREATE FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer (frequency, monetary) to a Gamma-Gamma '
    'fit state; frequency 0 is skipped.';

-- Adds a customer to a penalised Gamma-Gamma fit state.
CREATE FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision, double precision)
    RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, double precision, double precision, double precision) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer to a penalised Gamma-Gamma fit state.';

-- Fits Gamma-Gamma to the rows of a state.
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS
    'Support function of aggregate gamma_gamma_fit. Fits Gamma-Gamma to the rows of a state.';

-- gamma_gamma_fit(frequency, monetary): the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV")
-- fitted to the repeat buyers; monetary is the mean value of the repeat transactions.
CREATE AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision) IS
    'gamma_gamma_fit(frequency, monetary): the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and '
    'CLV") fitted to the repeat buyers; monetary is the mean value of the repeat transactions.';

-- gamma_gamma_fit(frequency, monetary, penalizer): Gamma-Gamma with an L2 penalty on the parameters.
CREATE AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision,
                                 penalizer double precision) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(frequency double precision, monetary double precision,
                                     penalizer double precision) IS
    'gamma_gamma_fit(frequency, monetary, penalizer): Gamma-Gamma with an L2 penalty on the parameters.';

-- ---------------------------------------------------------------------------------------------------------------
-- The same fits on customer_summary composites (200_customer_summary.sql): bgnbd_fit(s) reads (s).frequency,
-- (s).recency and (s).t. Customers without calibration data (every order after as_of: NULL fields) and
-- customers whose first purchase is on the as_of day (t = 0: nothing observed yet) are skipped.
-- ---------------------------------------------------------------------------------------------------------------

-- Adds a customer_summary composite to a BG/NBD fit state.
CREATE FUNCTION bgnbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate bgnbd_fit. Adds a customer_summary composite to a BG/NBD fit state.';

-- bgnbd_fit(summary): BG/NBD fitted to customer_summary composites.
CREATE AGGREGATE bgnbd_fit(summary customer_summary_result) (
    SFUNC = bgnbd_fit_accum, STYPE = internal, FINALFUNC = bgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(summary customer_summary_result) IS
    'bgnbd_fit(summary): BG/NBD fitted to customer_summary composites.';

-- Adds a customer_summary composite to an MBG/NBD fit state.
CREATE FUNCTION mbgnbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate mbgnbd_fit. Adds a customer_summary composite to an MBG/NBD fit state.';

-- mbgnbd_fit(summary): MBG/NBD fitted to customer_summary composites.
CREATE AGGREGATE mbgnbd_fit(summary customer_summary_result) (
    SFUNC = mbgnbd_fit_accum, STYPE = internal, FINALFUNC = mbgnbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mbgnbd_fit(summary customer_summary_result) IS
    'mbgnbd_fit(summary): MBG/NBD fitted to customer_summary composites.';

-- Adds a customer_summary composite to a Pareto/NBD fit state.
CREATE FUNCTION pareto_nbd_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate pareto_nbd_fit. Adds a customer_summary composite to a Pareto/NBD fit '
    'state.';

-- pareto_nbd_fit(summary): Pareto/NBD fitted to customer_summary composites.
CREATE AGGREGATE pareto_nbd_fit(summary customer_summary_result) (
    SFUNC = pareto_nbd_fit_accum, STYPE = internal, FINALFUNC = pareto_nbd_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_fit(summary customer_summary_result) IS
    'pareto_nbd_fit(summary): Pareto/NBD fitted to customer_summary composites.';

-- Adds a customer_summary composite (frequency, monetary) to a Gamma-Gamma fit state.
CREATE FUNCTION gamma_gamma_fit_accum(internal, customer_summary_result) RETURNS internal
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_summary_fit_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_accum(internal, customer_summary_result) IS
    'Support function of aggregate gamma_gamma_fit. Adds a customer_summary composite (frequency, monetary) '
    'to a Gamma-Gamma fit state.';

-- gamma_gamma_fit(summary): Gamma-Gamma fitted to the repeat buyers among customer_summary composites.
CREATE AGGREGATE gamma_gamma_fit(summary customer_summary_result) (
    SFUNC = gamma_gamma_fit_accum, STYPE = internal, FINALFUNC = gamma_gamma_fit_final,
    COMBINEFUNC = model_fit_combine, SERIALFUNC = model_fit_serialize, DESERIALFUNC = model_fit_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(summary customer_summary_result) IS
    'gamma_gamma_fit(summary): Gamma-Gamma fitted to the repeat buyers among customer_summary composites.';

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
COMMENT ON TYPE model_likelihood IS
    'What the log-likelihood aggregates return: the total log-likelihood, its gradient with respect to the '
    'model''s parameters (in the model composite''s order), and the number of customers.';

-- Merges two partial log-likelihood states (same model, same parameters).
CREATE FUNCTION model_likelihood_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_model_likelihood_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_likelihood_combine(double precision[], double precision[]) IS
    'Support function of aggregates bgnbd_log_likelihood, mbgnbd_log_likelihood, pareto_nbd_log_likelihood, '
    'bgbb_log_likelihood, gamma_gamma_log_likelihood. Merges two partial log-likelihood states (same model, '
    'same parameters).';

-- The model_likelihood of a state; NULL when it holds no customer.
CREATE FUNCTION model_likelihood_final(double precision[]) RETURNS model_likelihood
    AS 'MODULE_PATHNAME', 'loyalty_model_likelihood_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_likelihood_final(double precision[]) IS
    'Support function of aggregates bgnbd_log_likelihood, mbgnbd_log_likelihood, pareto_nbd_log_likelihood, '
    'bgbb_log_likelihood, gamma_gamma_log_likelihood. The model_likelihood of a state; NULL when it holds no '
    'customer.';

-- Adds a customer's BG/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION bgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                       bgnbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                           bgnbd_model) IS
    'Support function of aggregate bgnbd_log_likelihood. Adds a customer''s BG/NBD log-likelihood and '
    'gradient at the model''s parameters to a state.';

-- bgnbd_log_likelihood(frequency, recency, t, model): BG/NBD log-likelihood and gradient d/d(r, alpha, a, b)
-- at the model's parameters (its other fields are ignored; the model must be the same on every row).
CREATE AGGREGATE bgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                      model bgnbd_model) (
    SFUNC = bgnbd_likelihood_accum, STYPE = double precision[], INITCOND = '{1,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                          model bgnbd_model) IS
    'bgnbd_log_likelihood(frequency, recency, t, model): BG/NBD log-likelihood and gradient d/d(r, alpha, a, '
    'b) at the model''s parameters (its other fields are ignored; the model must be the same on every row).';

-- Adds a customer's MBG/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION mbgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                        mbgnbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_likelihood_accum(double precision[], double precision, double precision, double precision,
                                            mbgnbd_model) IS
    'Support function of aggregate mbgnbd_log_likelihood. Adds a customer''s MBG/NBD log-likelihood and '
    'gradient at the model''s parameters to a state.';

-- mbgnbd_log_likelihood(frequency, recency, t, model): MBG/NBD log-likelihood and gradient d/d(r, alpha, a, b).
CREATE AGGREGATE mbgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                       model mbgnbd_model) (
    SFUNC = mbgnbd_likelihood_accum, STYPE = double precision[], INITCOND = '{2,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE mbgnbd_log_likelihood(frequency double precision, recency double precision, t double precision,
                                           model mbgnbd_model) IS
    'mbgnbd_log_likelihood(frequency, recency, t, model): MBG/NBD log-likelihood and gradient d/d(r, alpha, '
    'a, b).';

-- Adds a customer's Pareto/NBD log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION pareto_nbd_likelihood_accum(double precision[], double precision, double precision,
                                            double precision, pareto_nbd_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_likelihood_accum(double precision[], double precision, double precision,
                                                double precision, pareto_nbd_model) IS
    'Support function of aggregate pareto_nbd_log_likelihood. Adds a customer''s Pareto/NBD log-likelihood '
    'and gradient at the model''s parameters to a state.';

-- pareto_nbd_log_likelihood(frequency, recency, t, model): Pareto/NBD log-likelihood and gradient
-- d/d(r, alpha, s, beta).
CREATE AGGREGATE pareto_nbd_log_likelihood(frequency double precision, recency double precision,
                                           t double precision, model pareto_nbd_model) (
    SFUNC = pareto_nbd_likelihood_accum, STYPE = double precision[], INITCOND = '{3,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE pareto_nbd_log_likelihood(frequency double precision, recency double precision,
                                               t double precision, model pareto_nbd_model) IS
    'pareto_nbd_log_likelihood(frequency, recency, t, model): Pareto/NBD log-likelihood and gradient d/d(r, '
    'alpha, s, beta).';

-- Adds a donor's BG/BB log-likelihood and gradient at the model's parameters to a state.
CREATE FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                      bgbb_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                          bgbb_model) IS
    'Support function of aggregate bgbb_log_likelihood. Adds a donor''s BG/BB log-likelihood and gradient at '
    'the model''s parameters to a state.';

-- Adds `count` identical donors' BG/BB log-likelihood and gradient to a state.
CREATE FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                      double precision, bgbb_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_count_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_likelihood_accum(double precision[], double precision, double precision, double precision,
                                          double precision, bgbb_model) IS
    'Support function of aggregate bgbb_log_likelihood. Adds `count` identical donors'' BG/BB log-likelihood '
    'and gradient to a state.';

-- bgbb_log_likelihood(frequency, recency, n_periods, model): BG/BB log-likelihood and gradient
-- d/d(alpha, beta, gamma, delta).
CREATE AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                     n_periods double precision, model bgbb_model) (
    SFUNC = bgbb_likelihood_accum, STYPE = double precision[], INITCOND = '{4,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                         n_periods double precision, model bgbb_model) IS
    'bgbb_log_likelihood(frequency, recency, n_periods, model): BG/BB log-likelihood and gradient d/d(alpha, '
    'beta, gamma, delta).';

-- bgbb_log_likelihood(frequency, recency, n_periods, count, model): the same on pre-aggregated rows.
CREATE AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                     n_periods double precision, count double precision, model bgbb_model) (
    SFUNC = bgbb_likelihood_accum, STYPE = double precision[], INITCOND = '{4,0,0,0,0,0,0,NaN,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgbb_log_likelihood(frequency double precision, recency double precision,
                                         n_periods double precision, count double precision, model bgbb_model) IS
    'bgbb_log_likelihood(frequency, recency, n_periods, count, model): the same on pre-aggregated rows.';

-- Adds a customer's Gamma-Gamma log-likelihood and gradient to a state (frequency 0 adds nothing).
CREATE FUNCTION gamma_gamma_likelihood_accum(double precision[], double precision, double precision,
                                             gamma_gamma_model) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_likelihood_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_likelihood_accum(double precision[], double precision, double precision,
                                                 gamma_gamma_model) IS
    'Support function of aggregate gamma_gamma_log_likelihood. Adds a customer''s Gamma-Gamma log-likelihood '
    'and gradient to a state (frequency 0 adds nothing).';

-- gamma_gamma_log_likelihood(frequency, monetary, model): Gamma-Gamma log-likelihood and gradient
-- d/d(p, q, v) over the repeat buyers.
CREATE AGGREGATE gamma_gamma_log_likelihood(frequency double precision, monetary double precision,
                                            model gamma_gamma_model) (
    SFUNC = gamma_gamma_likelihood_accum, STYPE = double precision[], INITCOND = '{5,0,0,0,0,0,NaN,NaN,NaN}',
    COMBINEFUNC = model_likelihood_combine, FINALFUNC = model_likelihood_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_log_likelihood(frequency double precision, monetary double precision,
                                                model gamma_gamma_model) IS
    'gamma_gamma_log_likelihood(frequency, monetary, model): Gamma-Gamma log-likelihood and gradient d/d(p, '
    'q, v) over the repeat buyers.';
