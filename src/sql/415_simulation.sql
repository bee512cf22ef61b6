-- ---------------------------------------------------------------------------------------------------------------
-- Customers simulated from the "buy till you die" models with known parameters (the project's own generator,
-- src/core/customer_simulator.hpp): for parameter-recovery tests, demos and benchmarks. Deterministic: the
-- output depends only on the arguments (the seed included). Columns: customer_id (1..customers), frequency,
-- recency, t (n_periods for BG/BB), monetary (the mean repeat spend under the Gamma-Gamma model when p, q, v
-- are given, 0 for customers without repeat purchases; NULL otherwise) and alive (the simulated truth at the
-- end of the observation period). At most 10 million customers per call.
-- ---------------------------------------------------------------------------------------------------------------

-- bgnbd_simulate(r, alpha, a, b, t, customers, seed): BG/NBD customers observed for t time units.
CREATE FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                               t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                   t double precision, customers bigint, seed bigint) IS
    'bgnbd_simulate(r, alpha, a, b, t, customers, seed): BG/NBD customers observed for t time units.';

-- bgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                               t double precision, customers bigint, seed bigint,
                               p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                   t double precision, customers bigint, seed bigint, p double precision,
                                   q double precision, v double precision) IS
    'bgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';

-- mbgnbd_simulate(r, alpha, a, b, t, customers, seed): MBG/NBD customers observed for t time units.
CREATE FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision,
                                    b double precision, t double precision, customers bigint, seed bigint) IS
    'mbgnbd_simulate(r, alpha, a, b, t, customers, seed): MBG/NBD customers observed for t time units.';

-- mbgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision, b double precision,
                                t double precision, customers bigint, seed bigint,
                                p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_mbgnbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_simulate(r double precision, alpha double precision, a double precision,
                                    b double precision, t double precision, customers bigint, seed bigint,
                                    p double precision, q double precision, v double precision) IS
    'mbgnbd_simulate(r, alpha, a, b, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';

-- pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed): Pareto/NBD customers observed for t time units.
CREATE FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                    beta double precision, t double precision, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                        beta double precision, t double precision, customers bigint, seed bigint) IS
    'pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed): Pareto/NBD customers observed for t time '
    'units.';

-- pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.
CREATE FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                    beta double precision, t double precision, customers bigint, seed bigint,
                                    p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision, t double precision,
                  monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_pareto_nbd_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_simulate(r double precision, alpha double precision, s double precision,
                                        beta double precision, t double precision, customers bigint, seed bigint,
                                        p double precision, q double precision, v double precision) IS
    'pareto_nbd_simulate(r, alpha, s, beta, t, customers, seed, p, q, v): the same with Gamma-Gamma spend.';

-- bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed): BG/BB customers over n_periods
-- transaction opportunities.
CREATE FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                              delta double precision, n_periods integer, customers bigint, seed bigint)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision,
                  n_periods double precision, monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                                  delta double precision, n_periods integer, customers bigint, seed bigint) IS
    'bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed): BG/BB customers over n_periods '
    'transaction opportunities.';

-- bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed, p, q, v): the same with Gamma-Gamma
-- spend.
CREATE FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                              delta double precision, n_periods integer, customers bigint, seed bigint,
                              p double precision, q double precision, v double precision)
    RETURNS TABLE(customer_id bigint, frequency double precision, recency double precision,
                  n_periods double precision, monetary double precision, alive boolean)
    AS 'MODULE_PATHNAME', 'loyalty_bgbb_simulate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_simulate(alpha double precision, beta double precision, gamma double precision,
                                  delta double precision, n_periods integer, customers bigint, seed bigint,
                                  p double precision, q double precision, v double precision) IS
    'bgbb_simulate(alpha, beta, gamma, delta, n_periods, customers, seed, p, q, v): the same with Gamma-Gamma '
    'spend.';
