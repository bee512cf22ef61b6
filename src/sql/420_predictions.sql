-- ---------------------------------------------------------------------------------------------------------------
-- Predictions of the fitted "buy till you die" models (docs/predictions_and_clv.md). Every function takes the
-- model composite first (bgnbd_model, mbgnbd_model, pareto_nbd_model, bgbb_model; gamma_gamma_model for
-- spend), then the customer's summary in the model's time unit: frequency = repeat purchases, recency = time of
-- the last one since the first, t = time since the first purchase (BG/BB: opportunities, n_periods). Bad
-- summaries are errors 22023 naming the values; a NULL argument gives NULL. The model is read once per query,
-- not per row.
-- A customer with t = 0 (first purchase at the end of the data) is valid: the predictions of a customer just
-- acquired. The *(model, summary customer_summary_result, ...) forms read the summary's fields (NULL when it has
-- no calibration data). The window forms at the end fit a model (by default Pareto/NBD) on their partition and
-- score each of its rows.
-- ---------------------------------------------------------------------------------------------------------------

-- BG/NBD P(alive at t | frequency, recency, t) (Fader, Hardie & Lee 2005 note "Computing P(alive)"); 1 when
-- frequency = 0.
CREATE FUNCTION p_alive(model bgnbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model bgnbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'BG/NBD P(alive at t | frequency, recency, t) (Fader, Hardie & Lee 2005 note "Computing P(alive)"); 1 '
    'when frequency = 0.';

-- BG/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model bgnbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model bgnbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'BG/NBD churn probability: 1 - P(alive).';

-- BG/NBD expected purchases in (t, t + horizon] given the customer's history (FHL 2005 eq. 10).
CREATE FUNCTION expected_purchases(model bgnbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model bgnbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'BG/NBD expected purchases in (t, t + horizon] given the customer''s history (FHL 2005 eq. 10).';

-- BG/NBD expected repeat purchases in (0, t] of a customer just acquired, the population mean (FHL 2005 eq. 9).
CREATE FUNCTION expected_purchases_unconditional(model bgnbd_model, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_unconditional(model bgnbd_model, t double precision) IS
    'BG/NBD expected repeat purchases in (0, t] of a customer just acquired, the population mean (FHL 2005 '
    'eq. 9).';

-- BG/NBD probability that a customer just acquired makes exactly k repeat purchases in (0, t] (FHL 2005 eq. 8).
CREATE FUNCTION probability_of_purchases(model bgnbd_model, t double precision, k integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_of_purchases(model bgnbd_model, t double precision, k integer) IS
    'BG/NBD probability that a customer just acquired makes exactly k repeat purchases in (0, t] (FHL 2005 '
    'eq. 8).';

-- MBG/NBD P(alive) (Batislam, Denizel & Filiztekin 2007); below 1 also when frequency = 0.
CREATE FUNCTION p_alive(model mbgnbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model mbgnbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'MBG/NBD P(alive) (Batislam, Denizel & Filiztekin 2007); below 1 also when frequency = 0.';

-- MBG/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model mbgnbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model mbgnbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'MBG/NBD churn probability: 1 - P(alive).';

-- MBG/NBD expected purchases in (t, t + horizon] given the customer's history.
CREATE FUNCTION expected_purchases(model mbgnbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model mbgnbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'MBG/NBD expected purchases in (t, t + horizon] given the customer''s history.';

-- MBG/NBD expected repeat purchases in (0, t] of a customer just acquired.
CREATE FUNCTION expected_purchases_unconditional(model mbgnbd_model, t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_unconditional(model mbgnbd_model, t double precision) IS
    'MBG/NBD expected repeat purchases in (0, t] of a customer just acquired.';

-- MBG/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired.
CREATE FUNCTION probability_of_purchases(model mbgnbd_model, t double precision, k integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_of_purchases(model mbgnbd_model, t double precision, k integer) IS
    'MBG/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired.';

-- Pareto/NBD P(alive at t | frequency, recency, t) (Fader & Hardie 2005 note, section 5).
CREATE FUNCTION p_alive(model pareto_nbd_model, frequency double precision, recency double precision,
                        t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model pareto_nbd_model, frequency double precision, recency double precision,
                            t double precision) IS
    'Pareto/NBD P(alive at t | frequency, recency, t) (Fader & Hardie 2005 note, section 5).';

-- Pareto/NBD churn probability: 1 - P(alive).
CREATE FUNCTION churn_probability(model pareto_nbd_model, frequency double precision, recency double precision,
                                  t double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model pareto_nbd_model, frequency double precision, recency double precision,
                                      t double precision) IS
    'Pareto/NBD churn probability: 1 - P(alive).';

-- Pareto/NBD expected purchases in (t, t + horizon] given the customer's history (Fader & Hardie 2005, section 6).
CREATE FUNCTION expected_purchases(model pareto_nbd_model, frequency double precision, recency double precision,
                                   t double precision, horizon double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model pareto_nbd_model, frequency double precision, recency double precision,
                                       t double precision, horizon double precision) IS
    'Pareto/NBD expected purchases in (t, t + horizon] given the customer''s history (Fader & Hardie 2005, '
    'section 6).';

-- Pareto/NBD expected repeat purchases in (0, t] of a customer just acquired (Fader & Hardie 2005, section 4).
CREATE FUNCTION expected_purchases_unconditional(model pareto_nbd_model, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_unconditional(model pareto_nbd_model, t double precision) IS
    'Pareto/NBD expected repeat purchases in (0, t] of a customer just acquired (Fader & Hardie 2005, section '
    '4).';

-- Pareto/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired (Fader & Hardie 2006).
CREATE FUNCTION probability_of_purchases(model pareto_nbd_model, t double precision, k integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_of_purchases(model pareto_nbd_model, t double precision, k integer) IS
    'Pareto/NBD probability of exactly k repeat purchases in (0, t] for a customer just acquired (Fader & '
    'Hardie 2006).';

-- BG/BB P(alive at opportunity n_periods + 1 | frequency, recency, n_periods) (Fader, Hardie & Shang 2010,
-- eq. 11); all three are whole numbers of opportunities.
CREATE FUNCTION p_alive(model bgbb_model, frequency double precision, recency double precision,
                        n_periods double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_p_alive' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model bgbb_model, frequency double precision, recency double precision,
                            n_periods double precision) IS
    'BG/BB P(alive at opportunity n_periods + 1 | frequency, recency, n_periods) (Fader, Hardie & Shang 2010, '
    'eq. 11); all three are whole numbers of opportunities.';

-- BG/BB churn probability: 1 - P(alive at opportunity n_periods + 1).
CREATE FUNCTION churn_probability(model bgbb_model, frequency double precision, recency double precision,
                                  n_periods double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_churn_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model bgbb_model, frequency double precision, recency double precision,
                                      n_periods double precision) IS
    'BG/BB churn probability: 1 - P(alive at opportunity n_periods + 1).';

-- BG/BB expected transactions in the next future_periods opportunities given the history (FHS 2010 eq. 13).
CREATE FUNCTION expected_purchases(model bgbb_model, frequency double precision, recency double precision,
                                   n_periods double precision, future_periods double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model bgbb_model, frequency double precision, recency double precision,
                                       n_periods double precision, future_periods double precision) IS
    'BG/BB expected transactions in the next future_periods opportunities given the history (FHS 2010 eq. '
    '13).';

-- BG/BB expected transactions in the first n_periods opportunities of a customer just acquired (FHS eq. 8).
CREATE FUNCTION expected_purchases_unconditional(model bgbb_model, n_periods double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_expected_purchases_unconditional' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_unconditional(model bgbb_model, n_periods double precision) IS
    'BG/BB expected transactions in the first n_periods opportunities of a customer just acquired (FHS eq. '
    '8).';

-- BG/BB probability of exactly k transactions in n_periods opportunities for a customer just acquired (FHS eq. 7).
CREATE FUNCTION probability_of_purchases(model bgbb_model, n_periods double precision, k integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_probability_of_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION probability_of_purchases(model bgbb_model, n_periods double precision, k integer) IS
    'BG/BB probability of exactly k transactions in n_periods opportunities for a customer just acquired (FHS '
    'eq. 7).';

-- Gamma-Gamma expected average spend per transaction of a customer with `frequency` repeat purchases of mean
-- value `monetary` (Fader, Hardie & Lee 2005, "RFM and CLV"); frequency 0 gives the population mean p v/(q-1).
CREATE FUNCTION expected_spend(model gamma_gamma_model, frequency double precision, monetary double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_spend(model gamma_gamma_model, frequency double precision, monetary double precision) IS
    'Gamma-Gamma expected average spend per transaction of a customer with `frequency` repeat purchases of '
    'mean value `monetary` (Fader, Hardie & Lee 2005, "RFM and CLV"); frequency 0 gives the population mean p '
    'v/(q-1).';

-- The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration data), for
-- the continuous-time models.
CREATE FUNCTION p_alive(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model bgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION p_alive(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model mbgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION p_alive(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_p_alive_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(model pareto_nbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION churn_probability(model bgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model bgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION churn_probability(model mbgnbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model mbgnbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION churn_probability(model pareto_nbd_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_churn_probability_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(model pareto_nbd_model, summary customer_summary_result) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION expected_purchases(model bgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model bgnbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION expected_purchases(model mbgnbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model mbgnbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
CREATE FUNCTION expected_purchases(model pareto_nbd_model, summary customer_summary_result, horizon double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_expected_purchases_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(model pareto_nbd_model, summary customer_summary_result,
                                       horizon double precision) IS
    'The same predictions of a customer_summary_result (frequency, recency, t; NULL without calibration '
    'data), for the continuous-time models.';
-- Gamma-Gamma expected spend from the summary's frequency and monetary.
CREATE FUNCTION expected_spend(model gamma_gamma_model, summary customer_summary_result) RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_expected_spend_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_spend(model gamma_gamma_model, summary customer_summary_result) IS
    'Gamma-Gamma expected spend from the summary''s frequency and monetary.';

-- Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model argument
-- the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of 'bgnbd', 'mbgnbd',
-- 'pareto_nbd', 'bgbb' and `penalizer` the fits' L2 penalty; both are read from the partition's first row. NULL
-- rows get NULL and take no part in the fit; the frame clause is ignored.
CREATE FUNCTION p_alive(frequency double precision, recency double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(frequency double precision, recency double precision, t double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';
CREATE FUNCTION p_alive(frequency double precision, recency double precision, t double precision, model text,
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(frequency double precision, recency double precision, t double precision, model text,
                            penalizer double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';
CREATE FUNCTION p_alive(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                        penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_p_alive_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(summary customer_summary_result, model text, penalizer double precision) IS
    'Window forms: the model is fitted on the whole partition (once) and every row scored. Without a model '
    'argument the default, Pareto/NBD (docs/predictions_and_clv.md, "Choosing a model"); `model` is one of '
    '''bgnbd'', ''mbgnbd'', ''pareto_nbd'', ''bgbb'' and `penalizer` the fits'' L2 penalty; both are read '
    'from the partition''s first row. NULL rows get NULL and take no part in the fit; the frame clause is '
    'ignored.';

-- Window forms of 1 - P(alive), as p_alive.
CREATE FUNCTION churn_probability(frequency double precision, recency double precision, t double precision)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(frequency double precision, recency double precision, t double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
CREATE FUNCTION churn_probability(frequency double precision, recency double precision, t double precision,
                                  model text, penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(frequency double precision, recency double precision, t double precision,
                                      model text, penalizer double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
CREATE FUNCTION churn_probability(summary customer_summary_result, model text DEFAULT 'pareto_nbd',
                                  penalizer double precision DEFAULT 0)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'loyalty_churn_probability_summary_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION churn_probability(summary customer_summary_result, model text, penalizer double precision) IS
    'Window forms of 1 - P(alive), as p_alive.';
