-- ---------------------------------------------------------------------------------------------------------------
-- Distributed fits (docs/scale_out.md): the fit aggregates' optimiser, run in the backend, over the model's
-- *_log_likelihood aggregate on a table or view the caller names, one aggregate query per evaluation. On a
-- distributed table (Citus) each query runs as partial aggregates on the nodes; for a partitioned table it is
-- one aggregate per leaf partition, which postgres_fdw pushes whole into foreign partitions. Only the sample
-- that gives the start (the first sample_rows complete rows) and one small array per partition and evaluation
-- move. Names are passed as a regclass and column names (quoted, never spliced in as text), and the queries
-- run with the caller's privileges. PARALLEL RESTRICTED: the source may be a temporary table. Results equal the fit aggregates' within the optimiser's tolerances.
-- ---------------------------------------------------------------------------------------------------------------

-- bgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): BG/NBD fitted over the columns
-- of `source` without moving its rows; the same result as bgnbd_fit over them.
CREATE FUNCTION bgnbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                      recency text DEFAULT 'recency', t text DEFAULT 't',
                                      penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS bgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION bgnbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                          penalizer double precision, sample_rows integer) IS
    'bgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): BG/NBD fitted over the '
    'columns of `source` without moving its rows; the same result as bgnbd_fit over them.';

-- mbgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): MBG/NBD, as mbgnbd_fit.
CREATE FUNCTION mbgnbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                       recency text DEFAULT 'recency', t text DEFAULT 't',
                                       penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION mbgnbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                           penalizer double precision, sample_rows integer) IS
    'mbgnbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): MBG/NBD, as mbgnbd_fit.';

-- pareto_nbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): Pareto/NBD, as
-- pareto_nbd_fit.
CREATE FUNCTION pareto_nbd_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                           recency text DEFAULT 'recency', t text DEFAULT 't',
                                           penalizer double precision DEFAULT 0,
                                           sample_rows integer DEFAULT 10000)
    RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION pareto_nbd_fit_distributed(source regclass, frequency text, recency text, t text,
                                               penalizer double precision, sample_rows integer) IS
    'pareto_nbd_fit_distributed(source, frequency, recency, t, penalizer, sample_rows): Pareto/NBD, as '
    'pareto_nbd_fit.';

-- bgbb_fit_distributed(source, frequency, recency, n_periods, penalizer, sample_rows): BG/BB on one row per
-- customer, as bgbb_fit(frequency, recency, n_periods).
CREATE FUNCTION bgbb_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                     recency text DEFAULT 'recency', n_periods text DEFAULT 'n_periods',
                                     penalizer double precision DEFAULT 0, sample_rows integer DEFAULT 10000)
    RETURNS bgbb_model
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION bgbb_fit_distributed(source regclass, frequency text, recency text, n_periods text,
                                         penalizer double precision, sample_rows integer) IS
    'bgbb_fit_distributed(source, frequency, recency, n_periods, penalizer, sample_rows): BG/BB on one row '
    'per customer, as bgbb_fit(frequency, recency, n_periods).';

-- gamma_gamma_fit_distributed(source, frequency, monetary, penalizer, sample_rows): Gamma-Gamma over the
-- repeat buyers, as gamma_gamma_fit.
CREATE FUNCTION gamma_gamma_fit_distributed(source regclass, frequency text DEFAULT 'frequency',
                                            monetary text DEFAULT 'monetary',
                                            penalizer double precision DEFAULT 0,
                                            sample_rows integer DEFAULT 10000)
    RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME', 'loyalty_gamma_gamma_fit_distributed' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION gamma_gamma_fit_distributed(source regclass, frequency text, monetary text,
                                                penalizer double precision, sample_rows integer) IS
    'gamma_gamma_fit_distributed(source, frequency, monetary, penalizer, sample_rows): Gamma-Gamma over the '
    'repeat buyers, as gamma_gamma_fit.';
