-- ---------------------------------------------------------------------------------------------------------------
-- Fitted "buy till you die" models: parameters under the literature's names, then the fit's diagnostics.
-- A model is a plain composite value: store it in a table, read its fields from a BI tool, pass it to the
-- prediction functions. log_likelihood is the total over customers, in the data's own time unit.
-- ---------------------------------------------------------------------------------------------------------------

-- BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
CREATE TYPE bgnbd_model AS (
    r double precision, alpha double precision, a double precision, b double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE bgnbd_model IS 'BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").';

-- MBG/NBD (Batislam, Denizel & Filiztekin 2007).
CREATE TYPE mbgnbd_model AS (
    r double precision, alpha double precision, a double precision, b double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE mbgnbd_model IS 'MBG/NBD (Batislam, Denizel & Filiztekin 2007).';

-- Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
CREATE TYPE pareto_nbd_model AS (
    r double precision, alpha double precision, s double precision, beta double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE pareto_nbd_model IS 'Pareto/NBD (Schmittlein, Morrison & Colombo 1987).';

-- BG/BB, discrete time (Fader, Hardie & Shang 2010).
CREATE TYPE bgbb_model AS (
    alpha double precision, beta double precision, gamma double precision, delta double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE bgbb_model IS 'BG/BB, discrete time (Fader, Hardie & Shang 2010).';

-- Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV").
CREATE TYPE gamma_gamma_model AS (
    p double precision, q double precision, v double precision,
    log_likelihood double precision, customers bigint, converged boolean, iterations integer
);
COMMENT ON TYPE gamma_gamma_model IS 'Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV").';
